"""One summary for every suite of tests/reliability/.

Each suite records what it proved into `$AIRLOCK_RELIABILITY_DIR/<suite>.json` (ctest sets the
variable to `<build>/reliability`); the ctest `reliability_summary` runs after them all (it is the
cleanup of the `reliability` fixture, `reliability_summary_reset` its setup, which empties the
directory) and prints ONE table. It fails when a suite reported a failure, or when a suite listed
in tests/reliability/ did not report (crashed, was killed, or never records).

A suite, in a few lines:

    from reliability_summary import Report, main

    REPORT = Report("faults")              # one name per suite: the table's row
    ...
    REPORT.scenario("drop-mid-body", "survived", faults=3, identical=True)
    REPORT.scenario("page-invalid-json", "refused")
    REPORT.add(blobs_verified=12, partial_files=0)
    ...
    if __name__ == "__main__":
        main(REPORT)                       # unittest.main; records passed/failed, exits as it did

`Report.scenario(name, outcome, ...)` counts one scenario: outcome "survived" (a fault the
program rode out; `identical=True/False` when its output was compared with a clean run's) or
"refused" (a bad input or a fault the program refused cleanly, exit 1 with a message). `faults`
adds faults injected. `Report.add(...)` adds figures: faults, blobs_verified, partial_files
(left behind: must stay 0), lost (files or states lost or changed: must stay 0). `Report.fail`
records a failure by hand. `main` records the suite as failed when any test failed or errored,
and writes the file even then; a suite that dies before `main` writes leaves its "started" file,
which the summary reports as not finished.

Command line (what the ctest runs):

    reliability_summary.py reset DIR
    reliability_summary.py print DIR SUITE_SCRIPT...    # exit 1 unless every script's suite passed
"""

import json
import os
import sys
import time
import unittest
from pathlib import Path
from typing import Dict, List, Optional

SURVIVED, REFUSED = "survived", "refused"
FIGURES = ("scenarios", "faults", "survived", "refused", "identical", "compared", "blobs_verified",
           "partial_files", "lost")


def report_dir() -> Optional[Path]:
    d = os.environ.get("AIRLOCK_RELIABILITY_DIR")
    if d:
        return Path(d)
    bin_dir = os.environ.get("AIRLOCK_BIN_DIR")
    return Path(bin_dir).parent / "reliability" if bin_dir else None


class Report:
    def __init__(self, suite: str, script: Optional[str] = None):
        self.suite = suite
        # The script's stem names the file, so the summary can tell which suites did not report.
        self.script = Path(script or sys.argv[0]).stem
        self.figures: Dict[str, int] = {k: 0 for k in FIGURES}
        self.failures: List[str] = []
        self.notes: List[str] = []
        self.start = time.monotonic()
        self._write("started")

    # -- recording ---------------------------------------------------------------------------------
    def scenario(self, name: str, outcome: str, *, faults: int = 0, identical: Optional[bool] = None,
                 ok: bool = True, detail: str = ""):
        assert outcome in (SURVIVED, REFUSED), outcome
        self.figures["scenarios"] += 1
        self.figures[outcome] += 1
        self.figures["faults"] += faults
        if identical is not None:
            self.figures["compared"] += 1
            self.figures["identical"] += bool(identical)
        if not ok:
            self.fail("%s: %s" % (name, detail or "failed"))

    def add(self, **figures: int):
        for k, v in figures.items():
            if k not in self.figures:
                raise KeyError("unknown figure %r (known: %s)" % (k, ", ".join(FIGURES)))
            self.figures[k] += int(v)

    def note(self, text: str):
        """A line printed under the table (e.g. the corpus size per class)."""
        self.notes.append(text)

    def fail(self, text: str):
        self.failures.append(text)

    def finish(self, passed: bool):
        if self.figures["partial_files"]:
            self.fail("%d partial files left" % self.figures["partial_files"])
        if self.figures["lost"]:
            self.fail("%d files lost or changed" % self.figures["lost"])
        if self.figures["compared"] != self.figures["identical"]:
            self.fail("%d outputs differ from the clean run's" % (self.figures["compared"] - self.figures["identical"]))
        ok = passed and not self.failures
        self._write("passed" if ok else "failed")
        return ok

    def _write(self, status: str):
        d = report_dir()
        if d is None:  # run by hand outside ctest: nothing to record into
            return
        d.mkdir(parents=True, exist_ok=True)
        data = {"suite": self.suite, "script": self.script, "status": status, "figures": self.figures,
                "failures": self.failures, "notes": self.notes,
                "seconds": round(time.monotonic() - self.start, 1)}
        tmp = d / (".%s.json.tmp" % self.script)
        tmp.write_text(json.dumps(data, indent=1) + "\n")
        os.replace(tmp, d / (self.script + ".json"))


def main(report: Report, argv=None):
    """unittest.main for a suite: records passed/failed (any failed or erroring test fails the
    suite), then exits with unittest's status."""
    prog = unittest.main(argv=argv, exit=False, verbosity=2)
    result = prog.result
    passed = result.wasSuccessful() and result.testsRun > 0
    for test, _ in result.failures + result.errors:
        report.fail("test failed: %s" % test.id())
    report.finish(passed)
    sys.exit(0 if passed else 1)


# ---------------------------------------------------------------------------------- the summary
def _row(cells, widths):
    return "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def summarize(directory: Path, scripts: List[str]):
    """(text, ok) for the reports in `directory` of the suites `scripts` (file stems)."""
    header = ["suite", "result", "scenarios", "survived", "refused", "identical", "blobs ok",
              "partial", "lost", "faults", "seconds"]
    rows, notes, problems = [], [], []
    total = {k: 0 for k in FIGURES}
    seconds = 0.0
    for script in scripts:
        path = directory / (script + ".json")
        if not path.exists():
            rows.append([script, "NO REPORT"] + [""] * (len(header) - 2))
            problems.append("%s: did not report (not run, or it never records into reliability_summary)" % script)
            continue
        data = json.loads(path.read_text())
        f = data["figures"]
        status = data["status"]
        if status == "started":
            problems.append("%s: started but did not finish (crashed or killed)" % data["suite"])
        for failure in data["failures"]:
            problems.append("%s: %s" % (data["suite"], failure))
        if status == "failed" and not data["failures"]:
            problems.append("%s: failed" % data["suite"])
        for k in FIGURES:
            total[k] += f[k]
        seconds += data["seconds"]
        rows.append([data["suite"], status.upper() if status != "passed" else "ok", f["scenarios"], f["survived"],
                     f["refused"], "%d/%d" % (f["identical"], f["compared"]), f["blobs_verified"],
                     f["partial_files"], f["lost"], f["faults"], "%.1f" % data["seconds"]])
        notes += ["%s: %s" % (data["suite"], n) for n in data["notes"]]
    rows.append(["all", "ok" if not problems else "FAILED", total["scenarios"], total["survived"], total["refused"],
                 "%d/%d" % (total["identical"], total["compared"]), total["blobs_verified"], total["partial_files"],
                 total["lost"], total["faults"], "%.1f" % seconds])
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    lines = ["reliability summary (survived: faults ridden out; refused: bad inputs or faults refused with exit 1"
             " and a message; identical: outputs byte-identical to a clean run's; partial: temporaries left;"
             " lost: files lost or changed)", _row(header, widths)]
    lines += [_row(r, widths) for r in rows[:-1]]
    lines += ["-" * len(_row(header, widths)), _row(rows[-1], widths)]
    lines += notes
    lines += ["PROBLEM: " + p for p in problems]
    lines.append("reliability: %d suites, %d scenarios, %d faults survived, %d bad inputs refused, %d/%d identical,"
                 " %d cache blobs verified, %d partial files, %d lost: %s"
                 % (len(scripts), total["scenarios"], total["survived"], total["refused"], total["identical"],
                    total["compared"], total["blobs_verified"], total["partial_files"], total["lost"],
                    "nothing lost" if not problems else "FAILED"))
    return "\n".join(lines) + "\n", not problems


def _cli(argv):
    if len(argv) >= 2 and argv[0] == "reset":
        d = Path(argv[1])
        if d.exists():
            for p in d.iterdir():
                if p.suffix in (".json", ".tmp", ".txt"):
                    p.unlink()
        d.mkdir(parents=True, exist_ok=True)
        return 0
    if len(argv) >= 2 and argv[0] == "print":
        d = Path(argv[1])
        scripts = sorted(Path(s).stem for s in argv[2:])
        text, ok = summarize(d, scripts)
        d.mkdir(parents=True, exist_ok=True)
        (d / "summary.txt").write_text(text)
        sys.stdout.write(text)
        return 0 if ok else 1
    sys.stderr.write("usage: reliability_summary.py reset DIR | print DIR SUITE_SCRIPT...\n")
    return 2


if __name__ == "__main__":
    sys.exit(_cli(sys.argv[1:]))
