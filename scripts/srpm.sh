#!/bin/sh
# The source RPM of augnetcf.spec, and rpmlint's view of spec and SRPM.
#
#   sh scripts/srpm.sh        # writes build/rpm/augnetcf-VERSION-1.src.rpm
#
# Source0 is `git archive` of HEAD (committed files only). On Fedora or EPEL 9
# build the binary package from the SRPM with mock or rpmbuild --rebuild; its
# %check runs the tests. On Debian, rpm and rpmlint come from apt.
set -eu
cd "$(dirname "$0")/.."
for tool in rpmbuild rpmlint; do
    command -v "$tool" >/dev/null || { echo "srpm: $tool is missing (Debian: apt-get install rpm rpmlint)" >&2; exit 1; }
done
version=$(sed -n 's/^Version: *//p' augnetcf.spec)
top=$(pwd)/build/rpm
rm -rf "$top"
mkdir -p "$top/SOURCES"
git archive --format=tar.gz --prefix="augnetcf-$version/" -o "$top/SOURCES/augnetcf-$version.tar.gz" HEAD
rpmbuild -bs --define "_topdir $top" --define "_srcrpmdir $top" augnetcf.spec
rpmlint augnetcf.spec "$top"/augnetcf-"$version"-*.src.rpm
