# ipvstune: build, test, demo, bench, install, package.
SHELL := /bin/bash
SWIFT ?= swift
# The version lives in the code (ipvstune --version); the package takes it from there.
VERSION := $(shell sed -n 's/^ *static let version = "\(.*\)"$$/\1/p' Sources/ipvstune/IPVSTuneCommand.swift)

PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
DATADIR ?= $(PREFIX)/share

BIN := .build/ipvstune
GEN := .build/gen
DEB := .build/ipvstune_$(VERSION)_amd64.deb
RPM_RELEASE ?= 1
RPM = .build/ipvstune-$(VERSION)-$(RPM_RELEASE).x86_64.rpm
DIST_NAME = ipvstune-$(VERSION)-linux-x86_64
DIST = .build/dist/$(DIST_NAME).tar.gz
# What every package is made of (packaging/files lists it).
PACKAGE_INPUTS = $(BIN) $(GEN)/ipvstune.8 $(GEN)/ipvstune.bash $(GEN)/80-ipvstune.preset packaging/files \
	packaging/install.sh packaging/ipvstune.* packaging/ipvstune-*
# The commit's time: the tarball's mtimes, the RPM's build time (reproducible builds).
ifndef SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
endif
export SOURCE_DATE_EPOCH
VM := Tests/vm/vm.sh
SOURCES := Package.swift $(shell find Sources -type f)

# Debian packages the build and the VM harness need.
DEB_PACKAGES := libnl-3-dev libnl-genl-3-dev pkg-config qemu-system-x86 busybox-static \
	ipvsadm iproute2 cpio kmod gzip xz-utils debootstrap debian-archive-keyring e2fsprogs systemd python3 \
	rpm rpmlint

# make test-fleet and make lint-ansible: Debian 12's ansible-core and ansible-lint, and ssh.
FLEET_PACKAGES := ansible-core ansible-lint openssh-client

# Debian's kernels by version: 5.10 (bullseye), 6.1 (bookworm), 6.12 (trixie), 7.x (sid, the
# 7.N it carries). KERNEL picks the one vm-test, demo and bench boot.
KERNEL ?= 6.1
KERNELS := 5.10 6.1 6.12 7.x
# make test: Debian 12's kernel and the newest.
TEST_KERNELS := 6.1 7.x
# boot-test: a systemd root of each release, booting that release's kernel.
BOOT_SUITES := bookworm trixie
# test-peers: the real dockerd, too slow under TCG for make test.
PEERS_SUITES := bookworm

.PHONY: all build deps deps-fleet test-fleet lint-ansible test unit sanitize differential fuzz vm-test vm-tests test-kernels metrics-test boot-test test-peers package-test demo bench \
	man completions preset install uninstall deb rpm rpm-lint dist test-reproducible clean

all: build

# A fully static release binary: runs on any x86-64 director with nothing installed.
build: $(BIN)

# The same commit builds the same bytes in any folder: no build path in the debug info (strip
# removes it anyway), and packaging/reproducible-binary.sh zeroes the objects' .swift_modhash,
# hashes of their LLVM modules that name each object's path (the only bytes that differed
# between two clones), and computes the build-id again.
REPRO_FLAGS := -Xswiftc -file-prefix-map -Xswiftc $(CURDIR)=. -Xswiftc -debug-prefix-map -Xswiftc $(CURDIR)=. \
	-Xcc -ffile-prefix-map=$(CURDIR)=.

$(BIN): $(SOURCES) packaging/reproducible-binary.sh
	@set -o pipefail; $(SWIFT) build -c release --product ipvstune -Xswiftc -static-executable $(REPRO_FLAGS) 2>&1 \
		| grep -v 'statically linked applications requires at runtime\|the use of .mktemp. is dangerous'
	packaging/reproducible-binary.sh .build/release/ipvstune $@
	@ldd $@ 2>&1 | grep -q 'not a dynamic executable' || { echo "$@ is not fully static"; exit 1; }

# apt_install PACKAGES: those not installed yet, from the host's own sources.
apt_install = @missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

deps:
	$(call apt_install,$(DEB_PACKAGES))

deps-fleet: deps
	$(call apt_install,$(FLEET_PACKAGES))

test: deps unit sanitize differential vm-tests metrics-test package-test boot-test

unit:
	$(SWIFT) test

# The unit tests under ASan (+ UBSan in the C shim), and the CLI under ASan/LSan.
sanitize:
	Tests/sanitizers/run.sh

# Every output, byte for byte, against the golden files in Tests/differential/golden (made from
# 0f40aaa's binary): help, errors, show-config, conns in every mode. After a deliberate change of
# an output, `Tests/differential/run.sh update` rewrites them: review and commit them with it.
differential: deps build
	Tests/differential/run.sh

# libFuzzer + ASan targets for every parser, RUNS executions each (default 1,000,000); the
# seeds and every crasher in Tests/Fuzz/Corpus are replayed by `swift test` without a fuzzer.
fuzz:
	Tests/Fuzz/run.sh fuzz $(TARGETS)

vm-test: deps build
	KERNEL=$(KERNEL) $(VM) run test $(SCENARIOS)

# The scenarios on each kernel (one boot each), side by side, one guest per core (each one's
# output printed whole when it ends); every kernel runs even if one fails.
vm_tests = @$(VM) prepare $(1) && Tests/vm/side-by-side.sh $(foreach k,$(1),"KERNEL=$(k) $(VM) run test $(SCENARIOS)")

vm-tests: deps build
	$(call vm_tests,$(TEST_KERNELS))

test-kernels: deps build
	$(call vm_tests,$(KERNELS))

# The alert rules (packaging/ipvstune-alerts.yml) through Debian's promtool: check and unit
# test. (promtool check metrics runs on every output the metrics scenarios print, in vm-test.)
metrics-test: deps
	Tests/metrics/run.sh

# make install/uninstall into a scratch DESTDIR; the tarball's checksums and install.sh; the
# .deb installed into a scratch root; the RPM's files, scriptlets and rpmlint. (boot-test
# installs both in a guest booting systemd.)
package-test: deps deb rpm dist
	Tests/packaging/test-install.sh
	Tests/packaging/test-dist.sh $(DIST)
	Tests/packaging/test-deb.sh $(DEB)
	Tests/packaging/test-rpm.sh $(RPM)

# The rpm case installs release 1 of the RPM and upgrades to release 2, the same binary.
boot-test: deps deb rpm
	@$(MAKE) --no-print-directory rpm RPM_RELEASE=2 >/dev/null
	@Tests/vm/side-by-side.sh $(foreach s,$(BOOT_SUITES),"BOOT_SUITE=$(s) BOOT_RPM=$(RPM) \
		BOOT_RPM_UPGRADE=$(subst -$(RPM_RELEASE).x86_64,-2.x86_64,$(RPM)) Tests/vm/boot.sh $(DEB) $(CASE)")

# The real dockerd in a systemd guest: Tests/vm/boot/peers, outside make test (README).
test-peers: deps deb
	@status=0; for s in $(PEERS_SUITES); do BOOT_SUITE=$$s BOOT_CASES=$(CURDIR)/Tests/vm/boot/peers Tests/vm/boot.sh $(DEB) $(CASE) || status=1; done; exit $$status

# The Ansible role (packaging/ansible) over ssh on two systemd guests, Debian 12 with the .deb
# and Debian 13 with the RPM: outside make test for its time (HACKING.md).
test-fleet: deps-fleet deb rpm lint-ansible
	Tests/vm/fleet.sh $(DEB) $(RPM)

# ansible-lint (Debian's) on the role and the example playbook, and a syntax check.
lint-ansible: deps-fleet
	cd packaging/ansible && ansible-playbook -i inventory.example.yml --syntax-check playbook.yml
	cd packaging/ansible && ansible-lint --offline -q playbook.yml roles/ipvstune

demo: deps build
	@KERNEL=$(KERNEL) $(VM) run demo

# Side by side with ipvsadm in one boot; the 1,000,000-entry table wants the memory.
bench: deps build
	VM_MEM=2048 KERNEL=$(KERNEL) $(VM) run bench $(BENCH)

# The man page and completions come from the command definitions themselves.
man: $(GEN)/ipvstune.8

$(GEN)/ipvstune.8: $(BIN) packaging/man-fixup.awk
	@mkdir -p $(GEN)/man.raw
	$(SWIFT) build --product generate-manual >/dev/null
	.build/debug/generate-manual $(BIN) --section 8 --date $$(git log -1 --format=%cs 2>/dev/null || date -u +%F) \
		--authors "The ipvstune authors" -o $(GEN)/man.raw
	awk -f packaging/man-fixup.awk $(GEN)/man.raw/ipvstune.8 > $@

completions: $(GEN)/ipvstune.bash $(GEN)/_ipvstune $(GEN)/ipvstune.fish

$(GEN)/ipvstune.bash $(GEN)/_ipvstune $(GEN)/ipvstune.fish: $(BIN) Makefile
	@mkdir -p $(GEN)
	$(BIN) --generate-completion-script bash | sed '1{/^#!/d}' > $(GEN)/ipvstune.bash  # sourced, not run
	$(BIN) --generate-completion-script zsh > $(GEN)/_ipvstune
	$(BIN) --generate-completion-script fish > $(GEN)/ipvstune.fish

# What is installed where is listed once, in packaging/files; packaging/install.sh installs
# it from here (make install, the .deb, the RPM) and from the release tarball.
PRESETDIR ?= $(PREFIX)/lib/systemd/system-preset
INSTALL_DIRS = SBINDIR=$(SBINDIR) SYSCONFDIR=$(SYSCONFDIR) UNITDIR=$(UNITDIR) PRESETDIR=$(PRESETDIR) \
	MANDIR=$(MANDIR) BASHCOMPDIR=$(BASHCOMPDIR) ZSHCOMPDIR=$(ZSHCOMPDIR) FISHCOMPDIR=$(FISHCOMPDIR) \
	DATADIR=$(DATADIR)
# Units by their flags in the list: all of them, the long-running services an upgrade restarts.
units_flagged = $(shell awk '!/^[[:space:]]*(\#|$$)/ && $$3 ~ /^\$$UNITDIR\// && /$(1)/ { sub(/.*\//, "", $$3); print $$3 }' packaging/files)
UNITS := $(call units_flagged,.)
RESTART_UNITS := $(call units_flagged, restart)

# The preset enables the units flagged enable and disables the others (systemctl preset).
preset: $(GEN)/80-ipvstune.preset

$(GEN)/80-ipvstune.preset: packaging/files
	@mkdir -p $(GEN)
	{ echo "# ipvstune: which of its units systemctl preset enables (the RPM runs it at first install)."; \
	  awk '!/^[[:space:]]*(#|$$)/ && / (enable|disable)( |$$)/ { unit = $$3; sub(/.*\//, "", unit); \
	    print (/ enable( |$$)/ ? "enable " : "disable ") unit }' packaging/files; } > $@

# The example config never replaces an existing one.
install: build man completions preset
	@$(INSTALL_DIRS) packaging/install.sh --from-repo --prefix $(PREFIX) --destdir "$(DESTDIR)"

# The config is removed only if it is still the untouched example.
uninstall:
	@$(INSTALL_DIRS) packaging/install.sh --from-repo --prefix $(PREFIX) --destdir "$(DESTDIR)" --uninstall

# A Debian package: no Depends (the binary is fully static), the config a conffile, and
# maintainer scripts that enable the unit.
deb: $(DEB)

$(DEB): $(PACKAGE_INPUTS) packaging/deb/*
	rm -rf .build/deb
	$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/.build/deb PREFIX=/usr UNITDIR=/lib/systemd/system >/dev/null
	mkdir -p .build/deb/DEBIAN
	sed 's|@VERSION@|$(VERSION)|; s|@SIZE@|'$$(du -sk .build/deb | cut -f1)'|' packaging/deb/control.in > .build/deb/DEBIAN/control
	echo /etc/ipvstune.conf > .build/deb/DEBIAN/conffiles
	install -m 0755 packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm .build/deb/DEBIAN/
	dpkg-deb --root-owner-group -Zgzip --build .build/deb $@ >/dev/null
	@echo "built $@"

# An RPM for RHEL-family directors from the same binary and list, built with Debian's rpmbuild
# (no systemd-rpm-macros: the spec writes their scriptlets out). RPM_RELEASE=2 builds the
# upgrade the boot test installs over release 1.
RPM_DIRS := PREFIX=/usr UNITDIR=/usr/lib/systemd/system PRESETDIR=/usr/lib/systemd/system-preset

rpm: $(RPM)

$(RPM): $(PACKAGE_INPUTS) packaging/rpm/ipvstune.spec.in
	rm -rf .build/rpm-$(RPM_RELEASE) && mkdir -p .build/rpm-$(RPM_RELEASE)
	$(RPM_DIRS) packaging/install.sh --list | awk '{ \
		path = $$1; mode = $$2; line = "%attr(" mode ",root,root) "; \
		if (/ config( |$$)/) line = "%config(noreplace) " line; \
		if (path ~ /\/man[0-9]\//) path = path "*"; \
		if (path ~ /\/ipvstune\/[^\/]*$$/) { dir = path; sub(/\/[^\/]*$$/, "", dir); print "%dir " dir } \
		print line path }' > .build/rpm-$(RPM_RELEASE)/files
	awk -v files=.build/rpm-$(RPM_RELEASE)/files '/^@FILES@$$/ { while ((getline l < files) > 0) print l; next } { print }' \
		packaging/rpm/ipvstune.spec.in | sed -e 's|@VERSION@|$(VERSION)|; s|@RELEASE@|$(RPM_RELEASE)|' \
		-e 's|@INSTALL_DIRS@|$(RPM_DIRS)|; s|@UNITS@|$(UNITS)|; s|@RESTART_UNITS@|$(RESTART_UNITS)|' \
		-e "s|@CHANGELOG_DATE@|$$(LC_ALL=C date -u -d @$$SOURCE_DATE_EPOCH '+%a %b %d %Y')|" \
		-e "s|@COMMIT@|$$(git rev-parse --short HEAD 2>/dev/null || echo unknown)|" \
		> .build/rpm-$(RPM_RELEASE)/ipvstune.spec
	rpmbuild -bb --quiet --define "_topdir $(CURDIR)/.build/rpm-$(RPM_RELEASE)" --define "repo $(CURDIR)" \
		--define "_rpmdir $(CURDIR)/.build" --define "_rpmfilename %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm" \
		--define "use_source_date_epoch_as_buildtime 1" --define "clamp_mtime_to_source_epoch 1" \
		--define "_buildhost ipvstune" \
		.build/rpm-$(RPM_RELEASE)/ipvstune.spec
	@echo "built $@"

# The release tarball: the files of the list under their tarball names, README, LICENSE and
# install.sh; reproducible (the same commit gives the same bytes in any folder: sorted
# entries, fixed owners, modes and mtimes, gzip without a name or time), with SHA256SUMS.
dist: $(DIST)

$(DIST): $(PACKAGE_INPUTS) README.md LICENSE
	rm -rf .build/dist && mkdir -p .build/dist/$(DIST_NAME)
	@grep -v '^[[:space:]]*\(#\|$$\)' packaging/files | while read -r from to dest mode flags; do \
		install -D -m $$mode $$from .build/dist/$(DIST_NAME)/$$to || exit 1; done
	install -m 0644 README.md LICENSE packaging/files .build/dist/$(DIST_NAME)/
	install -m 0755 packaging/install.sh .build/dist/$(DIST_NAME)/
	find .build/dist/$(DIST_NAME) -type d -exec chmod 0755 {} +
	tar --format=gnu --sort=name --owner=0 --group=0 --numeric-owner --mtime=@$(SOURCE_DATE_EPOCH) \
		-C .build/dist -cf - $(DIST_NAME) | gzip -9 -n > $@
	cd .build/dist && sha256sum $(DIST_NAME).tar.gz > SHA256SUMS
	@cat .build/dist/SHA256SUMS

# make dist in two fresh clones of this commit at different paths: the same SHA256, or the
# differing files and the binary's differing bytes by section. Two builds from scratch.
test-reproducible: deps
	Tests/packaging/test-reproducible.sh

# rpmlint with packaging/rpm/rpmlintrc (its filters say why): no error allowed.
rpm-lint: $(RPM)
	rpmlint -c packaging/rpm/rpmlintrc $(RPM)

clean:
	rm -rf .build .cache .build-asan .build-fuzz .build-fuzz-unit
