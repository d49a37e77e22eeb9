#include "installer/conda/python_layout.hpp"

#include "core/base/error.hpp"
#include "installer/conda/shebang.hpp"

namespace airlock::install::conda {

PythonLayout PythonLayout::of(std::string_view version, Platform platform) {
    std::size_t dot = version.find('.');
    std::size_t end =
        dot == std::string_view::npos ? dot : version.find_first_not_of("0123456789", dot + 1);
    if (dot == 0 || dot == std::string_view::npos ||
        version.substr(0, dot).find_first_not_of("0123456789") != std::string_view::npos ||
        (end != std::string_view::npos && end == dot + 1) || dot + 1 >= version.size())
        throw Error("cannot tell the Python version from " + quote(version));
    PythonLayout out;
    out.version = std::string(version.substr(0, end));
    if (platform == Platform::windows) {
        out.site_packages = "Lib/site-packages";
        out.bin_dir = "Scripts";
        out.executable = "python.exe";
    } else {
        out.site_packages = "lib/python" + out.version + "/site-packages";
        out.bin_dir = "bin";
        out.executable = "bin/python" + out.version;
    }
    return out;
}

std::string PythonLayout::noarch_target(std::string_view path) const {
    if (path.starts_with("site-packages/"))
        return site_packages + std::string(path.substr(std::string_view("site-packages").size()));
    if (path.starts_with("python-scripts/"))
        return bin_dir + std::string(path.substr(std::string_view("python-scripts").size()));
    return std::string(path);
}

std::string PythonLayout::pyc_path(std::string_view source) const {
    std::size_t slash = source.rfind('/');
    std::string_view dir = slash == std::string_view::npos ? "" : source.substr(0, slash + 1);
    std::string_view file = slash == std::string_view::npos ? source : source.substr(slash + 1);
    if (file.ends_with(".py"))
        file.remove_suffix(3);
    std::string tag = "cpython-";
    for (char c : version)
        if (c != '.')
            tag += c;
    return std::string(dir) + "__pycache__/" + std::string(file) + "." + tag + ".pyc";
}

std::string entry_point_script(const airlock::conda::EntryPoint& entry, std::string_view python) {
    const std::string& f = entry.function;
    const std::string import_name = f.substr(0, f.find('.'));
    return entry_point_shebang(python) +
           "# -*- coding: utf-8 -*-\n"
           "import re\n"
           "import sys\n"
           "\n"
           "from " +
           entry.module + " import " + import_name +
           "\n"
           "\n"
           "if __name__ == '__main__':\n"
           "    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])\n"
           "    sys.exit(" +
           f + "())\n";
}

}  // namespace airlock::install::conda
