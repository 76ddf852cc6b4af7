#!/usr/bin/env bash
# deploy/debian_packages.sh: sourced by quickstart.sh and test.sh.

# How long apt waits for another apt or dpkg to release its lock, and how often an update that
# failed is tried again meanwhile.
APT_LOCK_WAIT_SECONDS=600
APT_UPDATE_RETRY_SECONDS=15

# InstallDebianPackages PACKAGE...: installs those of the Debian packages that are missing. As
# root it runs apt-get (one `apt-get update` first, since a fresh machine has no lists); as
# another user it names what is missing and the command to install it, and returns 1.
InstallDebianPackages()
{
    local missing=() package
    for package in "$@"; do
        if [[ $(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null) != installed ]]; then
            missing+=("$package")
        fi
    done
    if ((${#missing[@]} == 0)); then
        echo "all $# packages are installed"
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        echo "missing packages: ${missing[*]}" >&2
        echo "install them as root: apt-get update && apt-get install ${missing[*]}" >&2
        return 1
    fi
    echo "installing: ${missing[*]}"
    # Each step checked: callers may call this after || (errexit off). On a machine just booted,
    # apt-daily and unattended-upgrades may hold apt's locks for a while. Installing waits for
    # dpkg's lock (DPkg::Lock::Timeout); updating takes the lists' lock, which it may not wait
    # for, so a failed update is tried again until APT_LOCK_WAIT_SECONDS have passed.
    local waited=0
    until DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT_SECONDS" \
        update -q; do
        ((waited < APT_LOCK_WAIT_SECONDS)) || return 1
        echo "apt-get update failed (another apt at work, or the mirror unreachable: see above);" \
            "again in $APT_UPDATE_RETRY_SECONDS s, for up to $APT_LOCK_WAIT_SECONDS s in all" >&2
        sleep "$APT_UPDATE_RETRY_SECONDS"
        waited=$((waited + APT_UPDATE_RETRY_SECONDS))
    done
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT_SECONDS" \
        install -y -q --no-install-recommends "${missing[@]}"
}
