"""airlock's test harness: real wheels, real indexes, real nginx, real pip.

Modules:
  wheels    build_wheel / build_sdist: pip-installable, deterministic distributions
  index     build_index: PEP 503 HTML + PEP 691 JSON + PEP 658 metadata trees
  nginx     Nginx: a loopback nginx serving a tree (limit_rate, limit_conn, ranges, h2c)
  catalog   named fixture sets (torch_like, conflict, ...) with expected closures per target
  pythons   find_python / require_python: interpreters from PATH or pyenv
  venv      make_venv / pip / installed / clean_env: pip isolated from this machine's PIP_*
  programs  paths of airlock-build / airlock-install, run(), TempDir
  offline   installer_env (pip's variables poisoned), require_unshare: the installer run offline
  conda     conda packages made by conda-package-handling, fixture channels
  conda_install_case  CondaInstallCase: the set-up of the conda-into-a-prefix install tests

Python stdlib only, Python >= 3.8.
"""
