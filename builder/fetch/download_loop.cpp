#include "builder/fetch/download_loop.hpp"

#include "builder/fetch/cache.hpp"
#include "builder/fetch/fetch_job.hpp"
#include "builder/fetch/host_governor.hpp"
#include "builder/fetch/prefix_hasher.hpp"
#include "builder/fetch/progress.hpp"
#include "builder/fetch/segment_plan.hpp"
#include "builder/fetch/slot_scheduler.hpp"
#include "builder/net/http_client.hpp"
#include "builder/net/response_check.hpp"
#include "builder/net/retry_policy.hpp"
#include "builder/net/transfer_engine.hpp"
#include "builder/net/url.hpp"
#include "core/base/ascii_lower.hpp"
#include "core/base/error.hpp"
#include "core/base/human_size.hpp"
#include "core/base/program.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <random>
#include <unordered_map>

namespace airlock::fetch {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

/// One HTTP transfer filling one segment of one file.
struct SegmentTransfer final : net::TransferSink {
    class DownloadLoop* scheduler = nullptr;
    FetchJob* job = nullptr;
    Host* host = nullptr;
    std::uint64_t segment_id = 0;
    std::size_t mirror = 0;
    net::TransferId id = 0;
    Clock::time_point started;  ///< when the request was sent
    std::uint64_t request_start = 0;
    std::uint64_t request_end = unknown_end;    ///< exclusive end the server will send up to
    bool ranged = false;                        ///< a Range header was sent
    std::optional<std::uint64_t> request_last;  ///< its inclusive end, when bounded
    std::string if_range;                       ///< the If-Range sent, if any
    bool accepted = false;                      ///< a 2xx whose body we write
    long status = 0;
    std::string failure;  ///< why we stopped it, when that was an error

    bool on_head(const net::ResponseHead& head) override;
    bool on_body(const char* data, std::size_t size) override;
    void on_done(const net::TransferResult& result) override;
};

/// The event loop: starts transfers on free slots (slot_scheduler.hpp), judges each response
/// (net/response_check, net/retry_policy), writes bodies into the jobs' partial files, hashes
/// them as they grow (prefix_hasher.hpp) and commits verified files to the cache.
class DownloadLoop {
  public:
    DownloadLoop(const std::vector<FetchItem>& items, const FetchOptions& options)
        : items_(items),
          options_(options),
          cache_(options.cache_dir.empty() ? net::default_cache_dir() : options.cache_dir),
          engine_(engine_options(options)),
          hasher_([this] { engine_.wakeup(); }),
          rng_(std::random_device{}()) {}

    ~DownloadLoop() {
        for (auto& job : jobs_) {
            if (job->fd >= 0) {
                hasher_.close(job->index);
                ::close(job->fd);
            }
        }
    }

    std::vector<Fetched> run();

    // Called by SegmentTransfer.
    bool on_head(SegmentTransfer& t, const net::ResponseHead& head);
    bool on_body(SegmentTransfer& t, const char* data, std::size_t size);
    void on_done(SegmentTransfer& t, const net::TransferResult& result);

  private:
    static net::EngineOptions engine_options(const FetchOptions& options) {
        net::EngineOptions e;
        e.network = options.network;
        return e;
    }

    Host& host_for(const std::string& origin) {
        auto it = hosts_.find(origin);
        if (it == hosts_.end()) {
            auto host = std::make_unique<Host>(
                Host{origin, HostGovernor(options_.initial_connections_per_host,
                                          options_.max_connections_per_host, Clock::now())});
            it = hosts_.emplace(origin, std::move(host)).first;
        }
        return *it->second;
    }

    void schedule(Clock::time_point now);
    /// Lets each host's governor judge its window; true when one now allows more connections.
    bool tick_governors(Clock::time_point now);
    bool start_one(Host& host, Clock::time_point now);
    void open_job(FetchJob& job);
    void start_segment(FetchJob& job, Segment& seg, Host& host);
    void retry(FetchJob& job, Segment& seg, const std::string& reason,
               std::optional<std::chrono::seconds> retry_after, Clock::time_point now);
    void restart_job(FetchJob& job, SegmentTransfer* adopt, std::optional<std::uint64_t> size);
    void fall_back(FetchJob& job, const std::string& problem);
    void give_up_url(FetchJob& job, Segment& seg, std::size_t mirror, const std::string& reason);
    void fail_job(FetchJob& job, std::string reason);
    void drop_transfer(SegmentTransfer& t);
    void maybe_complete(FetchJob& job);
    void collect_hashes();
    void save_states();
    void show_progress(Clock::time_point now, bool final);
    std::uint64_t done_bytes() const;

    const std::vector<FetchItem>& items_;
    const FetchOptions& options_;
    Cache cache_;
    net::TransferEngine engine_;
    PrefixHasher hasher_;
    std::mt19937 rng_;
    std::map<std::string, std::unique_ptr<Host>> hosts_;
    std::vector<std::unique_ptr<FetchJob>> jobs_;
    std::deque<FetchJob*> queue_;
    std::vector<FetchJob*> downloading_;
    std::unordered_map<net::TransferId, std::unique_ptr<SegmentTransfer>> transfers_;
    std::vector<std::unique_ptr<SegmentTransfer>> graveyard_;  ///< freed after engine_.run()
    std::size_t files_done_ = 0;
    std::size_t files_total_ = 0;
    std::unique_ptr<ProgressDisplay> progress_;
    std::vector<std::string> failures_;  ///< after run(): one line per failed file

  public:
    std::vector<std::string> take_failures() { return std::move(failures_); }
};

bool SegmentTransfer::on_head(const net::ResponseHead& head) {
    return scheduler->on_head(*this, head);
}
bool SegmentTransfer::on_body(const char* data, std::size_t size) {
    return scheduler->on_body(*this, data, size);
}
void SegmentTransfer::on_done(const net::TransferResult& result) {
    scheduler->on_done(*this, result);
}

void DownloadLoop::open_job(FetchJob& job) {
    job.open_files(cache_);
    job.phase = FetchJob::Phase::downloading;
    downloading_.push_back(&job);
    hasher_.open(job.index, job.fd,
                 job.item->sha256.empty() && !job.item->md5.empty() ? WithMd5::yes : WithMd5::no);
    job.prefix_posted = job.plan.contiguous_prefix();
    hasher_.advance(job.index, job.prefix_posted);
    maybe_complete(job);
}

void DownloadLoop::start_segment(FetchJob& job, Segment& seg, Host& host) {
    if (job.ranges == FetchJob::Ranges::no && seg.position() > 0) {
        // No range support: a retry can only start over.
        restart_job(job, nullptr, job.size);
        auto* first = &const_cast<Segment&>(job.plan.segments().front());
        first->mirror = seg.mirror;
        return start_segment(job, *first, host);
    }
    auto t = std::make_unique<SegmentTransfer>();
    t->scheduler = this;
    t->job = &job;
    t->host = &host;
    t->segment_id = seg.id;
    t->mirror = seg.mirror;
    t->started = Clock::now();
    t->request_start = seg.position();
    t->request_end = seg.end;
    net::Request request;
    request.url = job.item->urls[seg.mirror];
    // Large receive buffers for few connections (fewer system calls on a fast link), small ones
    // once the governor opens many (memory stays bounded whatever it allows).
    request.buffer_size = static_cast<long>(std::clamp<std::uint64_t>(
        options_.receive_buffer_budget / static_cast<std::uint64_t>(host.governor.allowed()),
        128 << 10, 1 << 20));
    if (job.ranges != FetchJob::Ranges::no) {
        auto range = seg.end != unknown_end ? net::ByteRange::span(seg.position(), seg.end - 1)
                                            : net::ByteRange::from(seg.position());
        request.range = range;
        t->ranged = true;
        t->request_last = range.last;
        if (seg.position() > 0 && !job.validators[seg.mirror].empty()) {
            request.if_range = job.validators[seg.mirror];
            t->if_range = request.if_range;
        }
    }
    seg.active = true;
    auto* raw = t.get();
    raw->id = engine_.start(request, *raw);
    transfers_.emplace(raw->id, std::move(t));
    job.live.push_back(raw);
    host.active++;
}

bool DownloadLoop::start_one(Host& host, Clock::time_point now) {
    auto slot =
        next_slot(host.origin, downloading_, queue_, options_.jobs, options_.min_segment_size, now);
    if (!slot)
        return false;
    FetchJob& job = *slot->job;
    if (slot->kind == Slot::Kind::new_file) {
        open_job(job);
        if (job.phase != FetchJob::Phase::downloading)
            return true;  // already complete on disk
        auto id = job.plan.next_pending(now);
        if (!id)
            return true;
        slot->segment_id = *id;
    }
    start_segment(job, *job.plan.find(slot->segment_id), host);
    return true;
}

void DownloadLoop::schedule(Clock::time_point now) {
    for (auto& [origin, host] : hosts_) {
        host->starved = false;
        while (host->active < host->governor.allowed()) {
            if (!start_one(*host, now)) {
                host->starved = true;
                break;
            }
        }
    }
}

bool DownloadLoop::tick_governors(Clock::time_point now) {
    // After schedule(): the connections that ended during run() have their successors, so a
    // window is judged by what the host really had in flight.
    bool grew = false;
    for (auto& [origin, host] : hosts_) {
        int before = host->governor.allowed();
        int settled = 0;
        for (const auto& [id, t] : transfers_) {
            if (t->host == host.get() && t->started <= host->governor.settled_since())
                ++settled;
        }
        host->governor.tick(now, host->active, settled, host->starved);
        grew = grew || host->governor.allowed() > before;
    }
    return grew;
}

bool DownloadLoop::on_head(SegmentTransfer& t, const net::ResponseHead& head) {
    FetchJob& job = *t.job;
    t.status = head.status;
    auto* seg = job.plan.find(t.segment_id);
    if (seg == nullptr || job.phase != FetchJob::Phase::downloading)
        return false;
    const auto cls = net::classify_status(head.status);
    if (cls != net::StatusClass::success && cls != net::StatusClass::partial)
        return true;  // error status: the body is discarded, on_done decides
    const auto url = net::redact(job.item->urls[t.mirror]);
    const auto list_mismatch = [&](std::uint64_t server) {
        fail_job(job, "the server reports " + exact_size(server) + ", the list says " +
                          exact_size(*job.item->size) + " (" + url + ")");
        return false;
    };
    const net::AskedRange asked{t.ranged, t.request_start, t.request_last, t.if_range};
    const net::KnownFile known{job.size, job.validators[t.mirror]};
    const auto check = net::check_response(asked, head, known);
    const auto validator = net::validator_of(head);
    const bool plain_whole = !t.ranged && head.status == 200;
    if (check.verdict == net::RangeVerdict::contradiction && job.fell_back && plain_whole &&
        job.item->size) {
        // The plain stream after a fall-back, and the server's length still disagrees with the
        // list's: take the list's size (the body is cut there, the hash decides).
        job.plan.set_size(*job.item->size);
        job.size = job.item->size;
        t.request_start = 0;
        t.request_end = *job.item->size;
        t.accepted = true;
        return true;
    }
    if (check.verdict == net::RangeVerdict::contradiction ||
        check.verdict == net::RangeVerdict::changed) {
        fall_back(job, check.problem + " (" + url + ")");
        return false;
    }
    if (check.verdict == net::RangeVerdict::accept) {
        auto total = *head.range_total;
        if (!job.size) {
            job.size = total;
            job.plan.set_size(total);
            seg = job.plan.find(t.segment_id);
        }
        t.request_end = *head.range_last + 1;
        if (!validator.empty())
            job.validators[t.mirror] = validator;
        job.ranges = FetchJob::Ranges::yes;
        t.accepted = true;
        return true;
    }
    // The whole file from byte 0, as asked, or instead of a range from 0 (no range support).
    if (job.item->size && head.content_length && *head.content_length != *job.item->size)
        return list_mismatch(*head.content_length);
    bool spliced = job.plan.segments().size() > 1 || job.plan.done_bytes() > 0;
    if (spliced) {
        restart_job(job, &t, head.content_length);
    } else if (head.content_length) {
        job.plan.set_size(*head.content_length);
    }
    job.size = head.content_length;
    t.request_start = 0;
    t.request_end = head.content_length.value_or(unknown_end);
    if (!validator.empty())
        job.validators[t.mirror] = validator;
    job.ranges = FetchJob::Ranges::no;
    t.accepted = true;
    return true;
}

bool DownloadLoop::on_body(SegmentTransfer& t, const char* data, std::size_t size) {
    FetchJob& job = *t.job;
    if (job.phase != FetchJob::Phase::downloading)
        return false;
    auto* seg = job.plan.find(t.segment_id);
    if (seg == nullptr)
        return false;
    std::uint64_t room = seg->end == unknown_end ? size : seg->end - seg->position();
    auto take = static_cast<std::size_t>(std::min<std::uint64_t>(size, room));
    std::size_t written = 0;
    while (written < take) {
        auto n = ::pwrite(job.fd, data + written, take - written,
                          static_cast<off_t>(seg->position() + written));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail_job(job, "cannot write " + quote(job.part.string()) + ": " + std::strerror(errno));
            return false;
        }
        written += static_cast<std::size_t>(n);
    }
    seg->done += take;
    t.host->governor.on_bytes(take, t.started <= t.host->governor.settled_since());
    if (seg->start <= job.prefix_posted && seg->position() > job.prefix_posted) {
        job.prefix_posted = job.plan.contiguous_prefix();
        hasher_.advance(job.index, job.prefix_posted);
    }
    if (take < size)
        return false;  // reached a stolen end
    if (seg->finished() && seg->end < t.request_end)
        return false;  // ditto, exactly
    return true;
}

void DownloadLoop::drop_transfer(SegmentTransfer& t) {
    auto& live = t.job->live;
    live.erase(std::remove(live.begin(), live.end(), &t), live.end());
    t.host->active--;
    auto it = transfers_.find(t.id);
    if (it != transfers_.end()) {
        graveyard_.push_back(std::move(it->second));
        transfers_.erase(it);
    }
}

void DownloadLoop::on_done(SegmentTransfer& t, const net::TransferResult& result) {
    FetchJob& job = *t.job;
    Host& host = *t.host;
    drop_transfer(t);
    auto* seg = job.plan.find(t.segment_id);
    if (job.phase != FetchJob::Phase::downloading || seg == nullptr)
        return;
    seg->active = false;
    auto now = Clock::now();
    const auto& url = job.item->urls[t.mirror];
    using Outcome = net::TransferResult::Outcome;
    // All the bytes of the segment arrived: a transport error after them (a Content-Length
    // larger than the body, a reset at the end) changes nothing; the hash decides.
    if (t.accepted && t.failure.empty() && (result.outcome != Outcome::failed || seg->finished())) {
        if (seg->end == unknown_end && result.outcome == Outcome::complete) {
            seg->end = seg->position();
            job.size = seg->end;
        }
        if (seg->finished()) {
            seg->attempts = 0;
            maybe_complete(job);
        } else {
            retry(job, *seg,
                  "the connection closed after " + human_size(seg->position()) + " of " +
                      human_size(seg->end),
                  std::nullopt, now);
        }
        return;
    }
    if (result.tls_failed) {  // the same certificate again would fail the same way
        fail_job(job, result.error + " (" + net::redact(url) + ")");
        return;
    }
    if (result.outcome == Outcome::failed && !result.retryable) {
        // A redirect loop, a refused redirect, oversized headers: this URL will not get better.
        give_up_url(job, *seg, t.mirror, result.error + " (" + net::redact(url) + ")");
        return;
    }
    std::string reason = t.failure;
    // A status counts when its response arrived whole; a broken transfer is a transport failure.
    const auto status = t.accepted || result.outcome == Outcome::failed ? 0 : result.head.status;
    const auto cls = net::classify_status(status);
    if (reason.empty() && status != 0)
        reason = "HTTP " + std::to_string(status);
    if (status != 0 && cls == net::StatusClass::range_refused) {
        fall_back(job, "the server refused a range of a file it had offered in ranges (HTTP 416, " +
                           net::redact(url) + ")");
        return;
    }
    if (status != 0 && cls != net::StatusClass::busy && cls != net::StatusClass::transient) {
        // Not there, not allowed, or a redirect not followed: asking again will not help.
        if (cls == net::StatusClass::redirect) {
            reason += result.head.location.empty() ? " (a redirect without a Location)"
                                                   : " (a redirect that was refused, to " +
                                                         net::redact(result.head.location) + ")";
        }
        give_up_url(job, *seg, t.mirror, reason + " from " + net::redact(url));
        return;
    }
    if (reason.empty())
        reason = result.error.empty() ? "the transfer failed" : result.error;
    auto retry_after = status != 0 ? result.head.retry_after : std::nullopt;
    if (retry_after) {
        auto honour = net::honour_retry_after(options_.network.retry, *retry_after);
        if (!honour.retry) {
            give_up_url(job, *seg, t.mirror,
                        reason + " from " + net::redact(url) + ": " + honour.reason);
            return;
        }
    }
    bool busy = status != 0 ? cls == net::StatusClass::busy && host.active > 0
                            : result.connect_failed && host.active > 0;
    if (busy && seg->busy < 1000) {
        // The server serves our other connections: it limits how many we may open. That is not
        // a failure of this segment; back off the host and retry soon.
        host.governor.on_busy(host.active, now);
        seg->busy++;
        std::uniform_int_distribution<int> jitter(50, 250);
        auto delay = retry_after ? std::chrono::duration_cast<Clock::duration>(*retry_after)
                                 : std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::milliseconds(jitter(rng_)));
        seg->not_before = now + delay;
        return;
    }
    retry(job, *seg, reason, retry_after, now);
}

void DownloadLoop::give_up_url(FetchJob& job, Segment& seg, std::size_t mirror,
                               const std::string& reason) {
    job.mirror_gone[mirror] = true;
    auto next = job.next_mirror(mirror);
    if (next == mirror) {
        fail_job(job, reason);
        return;
    }
    job.error = reason;
    seg.mirror = next;
    if (job.mirror == mirror)
        job.mirror = next;
}

void DownloadLoop::fall_back(FetchJob& job, const std::string& problem) {
    if (job.fell_back) {
        fail_job(job, problem +
                          "; the server contradicted itself again after airlock fell back "
                          "to one plain download");
        return;
    }
    job.fell_back = true;
    job.ranges = FetchJob::Ranges::no;
    job.error = problem;
    restart_job(job, nullptr, job.item->size);
}

void DownloadLoop::retry(FetchJob& job, Segment& seg, const std::string& reason,
                         std::optional<std::chrono::seconds> retry_after, Clock::time_point now) {
    const auto& url = job.item->urls[seg.mirror];
    seg.attempts++;
    job.error = reason + " (" + net::redact(url) + ")";
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    auto decision =
        net::decide_retry(options_.network.retry, seg.attempts, retry_after, jitter(rng_));
    if (!decision.retry) {
        fail_job(job, reason + " (" + net::redact(url) + "; " + decision.reason + ")");
        return;
    }
    auto delay = std::chrono::duration_cast<Clock::duration>(decision.delay);
    seg.not_before = now + delay;
    // Mirror failover: the next attempt of this segment goes to the next mirror.
    seg.mirror = job.next_mirror(seg.mirror);
}

void DownloadLoop::restart_job(FetchJob& job, SegmentTransfer* adopt,
                               std::optional<std::uint64_t> size) {
    // Failed attempts carry over: starting over never resets the bound on them.
    int attempts = 0;
    for (const auto& s : job.plan.segments())
        attempts = std::max(attempts, s.attempts);
    for (auto* other : std::vector<SegmentTransfer*>(job.live)) {
        if (other == adopt)
            continue;
        engine_.cancel(other->id);
        drop_transfer(*other);
    }
    job.plan = SegmentPlan(size ? size : job.item->size);
    job.size = size ? size : job.item->size;
    auto& first = const_cast<Segment&>(job.plan.segments().front());
    first.attempts = attempts;
    if (adopt != nullptr) {
        first.active = true;
        first.mirror = adopt->mirror;
        adopt->segment_id = first.id;
    } else {
        first.mirror = job.mirror;
    }
    job.resumed_bytes = 0;
    job.prefix_posted = 0;
    // Forget the hash first: the worker must not read the file while it is being truncated.
    hasher_.reset(job.index);
    if (auto problem = job.truncate(); !problem.empty())
        fail_job(job, std::move(problem));
}

void DownloadLoop::fail_job(FetchJob& job, std::string reason) {
    if (job.phase == FetchJob::Phase::failed || job.phase == FetchJob::Phase::done)
        return;
    for (auto* t : std::vector<SegmentTransfer*>(job.live)) {
        engine_.cancel(t->id);
        drop_transfer(*t);
    }
    job.phase = FetchJob::Phase::failed;
    job.error = std::move(reason);
    hasher_.close(job.index);
    job.discard();
    downloading_.erase(std::remove(downloading_.begin(), downloading_.end(), &job),
                       downloading_.end());
}

void DownloadLoop::maybe_complete(FetchJob& job) {
    if (job.phase != FetchJob::Phase::downloading || !job.plan.complete() || job.plan.any_active())
        return;
    job.phase = FetchJob::Phase::hashing;
    job.size = job.plan.segments().back().end;
    hasher_.finish(job.index, *job.size);
    downloading_.erase(std::remove(downloading_.begin(), downloading_.end(), &job),
                       downloading_.end());
}

void DownloadLoop::collect_hashes() {
    for (auto& r : hasher_.take_results()) {
        FetchJob& job = *jobs_[r.key];
        if (job.phase == FetchJob::Phase::downloading && !r.error.empty()) {
            fail_job(job, r.error);  // cannot read back what was written: the disk is failing
            continue;
        }
        if (job.phase != FetchJob::Phase::hashing)
            continue;
        const auto& item = *job.item;
        const auto url = net::redact(item.urls[job.mirror]);
        if (!r.error.empty()) {
            fail_job(job, r.error);
        } else if (!item.sha256.empty() && r.sha256 != ascii_lower(item.sha256) && !job.refetched) {
            // Damaged in transit, or a bad mirror: once more from scratch (the next mirror).
            job.refetched = true;
            job.error = "sha256 mismatch: expected " + ascii_lower(item.sha256) + ", computed " +
                        r.sha256 + " (" + url + ")";
            job.phase = FetchJob::Phase::downloading;
            downloading_.push_back(&job);
            hasher_.open(job.index, job.fd);
            job.mirror = job.next_mirror(job.mirror);
            restart_job(job, nullptr, item.size);
        } else if (!item.sha256.empty() && r.sha256 != ascii_lower(item.sha256)) {
            fail_job(job, "sha256 mismatch: expected " + ascii_lower(item.sha256) + ", computed " +
                              r.sha256 + " (" + url + ")");
        } else if (item.sha256.empty() && !item.md5.empty() && r.md5 != ascii_lower(item.md5)) {
            fail_job(job, "md5 mismatch: expected " + ascii_lower(item.md5) + ", computed " +
                              r.md5 + " (" + url + ")");
        } else if (item.size && *item.size != *job.size) {
            fail_job(job, "size mismatch: expected " + exact_size(*item.size) + ", got " +
                              exact_size(*job.size) + " (" + url + ")");
        } else {
            ::close(job.fd);
            job.fd = -1;
            try {
                job.result = Fetched{cache_.commit(job.part, r.sha256), r.sha256, *job.size};
            } catch (Error& e) {
                job.phase = FetchJob::Phase::failed;
                job.error = e.chain().front();
                ::unlink(job.part.c_str());
                continue;
            }
            if (!job.state.empty())
                ::unlink(job.state.c_str());
            job.phase = FetchJob::Phase::done;
            files_done_++;
        }
    }
}

void DownloadLoop::save_states() {
    for (auto* job : downloading_)
        job->save_state();
}

std::uint64_t DownloadLoop::done_bytes() const {
    std::uint64_t total = 0;
    for (const auto& job : jobs_) {
        if (job->phase == FetchJob::Phase::downloading) {
            total += job->plan.done_bytes() - std::min(job->resumed_bytes, job->plan.done_bytes());
        } else if (job->phase == FetchJob::Phase::hashing || job->phase == FetchJob::Phase::done) {
            total += job->size.value_or(0) - std::min(job->resumed_bytes, job->size.value_or(0));
        }
    }
    return total;
}

void DownloadLoop::show_progress(Clock::time_point now, bool final) {
    ProgressDisplay::Totals totals;
    totals.bytes_done = done_bytes();
    // Sized from the list (the lock) when it has sizes, else from the server's answer once a
    // file has started (an HTML index gives no sizes); files not yet started and unsized are
    // counted apart so the total reads "≥ …" rather than a wrong figure.
    for (const auto& job : jobs_) {
        auto size = job->item->size ? job->item->size : job->size;
        if (!size) {
            ++totals.files_unsized;
            continue;
        }
        totals.bytes_total += *size - std::min(job->resumed_bytes, *size);
    }
    totals.files_done = files_done_;
    totals.files_total = files_total_;
    for (const auto& [origin, host] : hosts_)
        totals.connections += host->active;
    if (final) {
        progress_->finish(now, totals);
        return;
    }
    std::vector<ProgressDisplay::ActiveFile> active;
    for (auto* job : downloading_) {
        active.push_back({job->item->filename, job->plan.done_bytes(), job->size,
                          static_cast<int>(job->live.size())});
    }
    progress_->update(now, totals, std::move(active));
}

std::vector<Fetched> DownloadLoop::run() {
    std::vector<Fetched> results(items_.size());
    // Identical files (same sha256) are fetched once; cached ones not at all.
    std::map<std::string, FetchJob*> by_hash;
    std::vector<FetchJob*> owner(items_.size(), nullptr);
    for (std::size_t i = 0; i < items_.size(); ++i) {
        const auto& item = items_[i];
        auto sha = ascii_lower(item.sha256);
        if (!sha.empty()) {
            if (auto blob = cache_.lookup(sha)) {
                std::error_code ec;
                auto size = fs::file_size(*blob, ec);
                if (!ec && (!item.size || *item.size == size)) {
                    results[i] = Fetched{*blob, sha, size};
                    continue;
                }
            }
            if (auto it = by_hash.find(sha); it != by_hash.end()) {
                owner[i] = it->second;
                continue;
            }
        }
        auto job = std::make_unique<FetchJob>();
        job->index = jobs_.size();
        job->item = &item;
        owner[i] = job.get();
        if (!sha.empty())
            by_hash[sha] = job.get();
        jobs_.push_back(std::move(job));
    }
    files_total_ = jobs_.size();
    if (jobs_.empty())
        return results;

    for (auto& job : jobs_)
        queue_.push_back(job.get());
    // Largest first: the big files set the finishing time, small ones fill the gaps.
    std::stable_sort(queue_.begin(), queue_.end(), [](const FetchJob* a, const FetchJob* b) {
        return a->item->size.value_or(0) > b->item->size.value_or(0);
    });
    for (auto* job : queue_) {
        for (const auto& url : job->item->urls)
            job->origins.push_back(net::origin_of(url));
        host_for(job->origins.front());
    }
    for (auto* job : queue_) {
        for (const auto& origin : job->origins)
            host_for(origin);
    }

    auto mode = ProgressDisplay::Mode::plain;
    switch (options_.progress) {
        case FetchOptions::Progress::auto_:
            mode =
                ::isatty(STDERR_FILENO) ? ProgressDisplay::Mode::tty : ProgressDisplay::Mode::plain;
            break;
        case FetchOptions::Progress::tty:
            mode = ProgressDisplay::Mode::tty;
            break;
        case FetchOptions::Progress::plain:
            mode = ProgressDisplay::Mode::plain;
            break;
        case FetchOptions::Progress::quiet:
            mode = ProgressDisplay::Mode::quiet;
            break;
    }
    auto start = Clock::now();
    progress_ = std::make_unique<ProgressDisplay>(mode, start);
    auto last_save = start;

    for (;;) {
        if (interrupted()) {
            save_states();
            progress_.reset();
            throw Error("interrupted", Exit::interrupted)
                .with_hint("run the same command again: finished parts are kept and resumed");
        }
        auto now = Clock::now();
        schedule(now);
        if (tick_governors(now))
            schedule(now);  // what a governor allows more starts now, not a run() later
        bool pending = !queue_.empty() || !downloading_.empty() ||
                       std::any_of(jobs_.begin(), jobs_.end(), [](const auto& j) {
                           return j->phase == FetchJob::Phase::hashing;
                       });
        if (!pending && engine_.running() == 0)
            break;
        engine_.run(std::chrono::milliseconds(engine_.running() > 0 ? 100 : 20));
        graveyard_.clear();
        collect_hashes();
        now = Clock::now();
        if (now - last_save >= std::chrono::seconds(1)) {
            save_states();
            last_save = now;
        }
        show_progress(now, false);
    }
    show_progress(Clock::now(), true);

    for (std::size_t i = 0; i < items_.size(); ++i) {
        if (owner[i] == nullptr)
            continue;
        if (owner[i]->phase == FetchJob::Phase::done) {
            results[i] = owner[i]->result;
        } else if (owner[i]->index < jobs_.size() && owner[i]->item == &items_[i]) {
            failures_.push_back(quote(items_[i].filename) + ": " + owner[i]->error);
        }
    }
    return results;
}

FetchReport run_download_loop(const std::vector<FetchItem>& items, const FetchOptions& options) {
    DownloadLoop loop(items, options);
    FetchReport report;
    report.fetched = loop.run();
    report.failures = loop.take_failures();
    return report;
}

}  // namespace airlock::fetch
