"""Finding Debian's hugo for the benchmark scripts, installing it when missing."""

import os
import shutil
import subprocess


def find_or_install_hugo(arg, log):
    """The hugo binary: `arg` when given, else hugo on PATH, else Debian's
    package installed with apt-get when running as root; None when none."""
    if arg:
        return arg
    found = shutil.which("hugo")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        log("hugo is not installed; installing Debian's package (apt-get update && apt-get install -y hugo)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "hugo"], check=True, env=env)
        return shutil.which("hugo")
    return None
