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
VM := Tests/vm/vm.sh
SOURCES := Package.swift $(shell find Sources -type f)

# Debian packages the build and the VM harness need.
DEB_PACKAGES := libnl-3-dev libnl-genl-3-dev pkg-config qemu-system-x86 busybox-static \
	ipvsadm iproute2 cpio kmod gzip xz-utils debootstrap debian-archive-keyring e2fsprogs systemd

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

.PHONY: all build deps test unit sanitize differential fuzz vm-test vm-tests test-kernels metrics-test boot-test test-peers package-test demo bench \
	man completions install uninstall deb clean

all: build

# A fully static release binary: runs on any x86-64 director with nothing installed.
build: $(BIN)

$(BIN): $(SOURCES)
	@set -o pipefail; $(SWIFT) build -c release --product ipvstune -Xswiftc -static-executable 2>&1 \
		| grep -v 'statically linked applications requires at runtime\|the use of .mktemp. is dangerous'
	strip -o $@ .build/release/ipvstune
	@ldd $@ 2>&1 | grep -q 'not a dynamic executable' || { echo "$@ is not fully static"; exit 1; }

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

test: deps unit sanitize differential vm-tests metrics-test package-test boot-test

unit:
	$(SWIFT) test

# The unit tests under ASan (+ UBSan in the C shim), and the CLI under ASan/LSan.
sanitize:
	Tests/sanitizers/run.sh

# Every output, byte for byte, against the binary of an earlier commit (BASE, default the
# release before the one-house rework): help, errors, show-config, conns in every mode.
differential: deps build
	Tests/differential/run.sh

# libFuzzer + ASan targets for every parser, RUNS executions each (default 1,000,000); the
# seeds and every crasher in Tests/Fuzz/Corpus are replayed by `swift test` without a fuzzer.
fuzz:
	Tests/Fuzz/run.sh fuzz $(TARGETS)

vm-test: deps build
	KERNEL=$(KERNEL) $(VM) run test $(SCENARIOS)

# The scenarios on each kernel in turn (one boot each); every kernel runs even if one fails.
vm_tests = @status=0; for k in $(1); do KERNEL=$$k $(VM) run test $(SCENARIOS) || status=1; done; exit $$status

vm-tests: deps build
	$(call vm_tests,$(TEST_KERNELS))

test-kernels: deps build
	$(call vm_tests,$(KERNELS))

# The alert rules (packaging/ipvstune-alerts.yml) through Debian's promtool: check and unit
# test. (promtool check metrics runs on every output the metrics scenarios print, in vm-test.)
metrics-test: deps
	Tests/metrics/run.sh

# make install/uninstall into a scratch DESTDIR; the .deb installed into a scratch root, then
# into a Debian guest booting systemd.
package-test: deps deb
	Tests/packaging/test-install.sh
	Tests/packaging/test-deb.sh $(DEB)

boot-test: deps deb
	@status=0; for s in $(BOOT_SUITES); do BOOT_SUITE=$$s Tests/vm/boot.sh $(DEB) $(CASE) || status=1; done; exit $$status

# The real dockerd in a systemd guest: Tests/vm/boot/peers, outside make test (README).
test-peers: deps deb
	@status=0; for s in $(PEERS_SUITES); do BOOT_SUITE=$$s BOOT_CASES=$(CURDIR)/Tests/vm/boot/peers Tests/vm/boot.sh $(DEB) $(CASE) || status=1; done; exit $$status

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

$(GEN)/ipvstune.bash $(GEN)/_ipvstune $(GEN)/ipvstune.fish: $(BIN)
	@mkdir -p $(GEN)
	$(BIN) --generate-completion-script bash > $(GEN)/ipvstune.bash
	$(BIN) --generate-completion-script zsh > $(GEN)/_ipvstune
	$(BIN) --generate-completion-script fish > $(GEN)/ipvstune.fish

# The example config never replaces an existing one.
install: build man completions
	for unit in ipvstune.service ipvstune-netns.service ipvstune-watch.service ipvstune-metrics.service; do \
		sed 's|@SBINDIR@|$(SBINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' packaging/$$unit.in > $(GEN)/$$unit; \
		install -D -m 0644 $(GEN)/$$unit $(DESTDIR)$(UNITDIR)/$$unit; \
	done
	install -D -m 0644 packaging/ipvstune-metrics.timer $(DESTDIR)$(UNITDIR)/ipvstune-metrics.timer
	install -D -m 0644 packaging/ipvstune-alerts.yml $(DESTDIR)$(DATADIR)/ipvstune/ipvstune-alerts.yml
	install -D -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/ipvstune
	install -D -m 0644 $(GEN)/ipvstune.8 $(DESTDIR)$(MANDIR)/man8/ipvstune.8
	install -D -m 0644 $(GEN)/ipvstune.bash $(DESTDIR)$(BASHCOMPDIR)/ipvstune
	install -D -m 0644 $(GEN)/_ipvstune $(DESTDIR)$(ZSHCOMPDIR)/_ipvstune
	install -D -m 0644 $(GEN)/ipvstune.fish $(DESTDIR)$(FISHCOMPDIR)/ipvstune.fish
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/ipvstune.conf ]; then \
		echo "keeping the existing $(DESTDIR)$(SYSCONFDIR)/ipvstune.conf"; \
	else \
		install -D -m 0644 packaging/ipvstune.conf.example $(DESTDIR)$(SYSCONFDIR)/ipvstune.conf; \
	fi

# The config is removed only if it is still the untouched example.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/ipvstune $(DESTDIR)$(UNITDIR)/ipvstune.service \
		$(DESTDIR)$(UNITDIR)/ipvstune-netns.service $(DESTDIR)$(UNITDIR)/ipvstune-netns.path \
		$(DESTDIR)$(UNITDIR)/ipvstune-watch.service \
		$(DESTDIR)$(UNITDIR)/ipvstune-metrics.service $(DESTDIR)$(UNITDIR)/ipvstune-metrics.timer \
		$(DESTDIR)$(DATADIR)/ipvstune/ipvstune-alerts.yml \
		$(DESTDIR)$(MANDIR)/man8/ipvstune.8 $(DESTDIR)$(BASHCOMPDIR)/ipvstune \
		$(DESTDIR)$(ZSHCOMPDIR)/_ipvstune $(DESTDIR)$(FISHCOMPDIR)/ipvstune.fish
	rmdir $(DESTDIR)$(DATADIR)/ipvstune 2>/dev/null || true
	@if cmp -s packaging/ipvstune.conf.example $(DESTDIR)$(SYSCONFDIR)/ipvstune.conf; then \
		rm -f $(DESTDIR)$(SYSCONFDIR)/ipvstune.conf; \
	elif [ -e $(DESTDIR)$(SYSCONFDIR)/ipvstune.conf ]; then \
		echo "keeping the edited $(DESTDIR)$(SYSCONFDIR)/ipvstune.conf"; \
	fi

# A Debian package: no Depends (the binary is fully static), the config a conffile, and
# maintainer scripts that enable the unit.
deb: $(DEB)

$(DEB): $(BIN) $(GEN)/ipvstune.8 $(GEN)/ipvstune.bash packaging/deb/* packaging/ipvstune.* packaging/ipvstune-*
	rm -rf .build/deb
	$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/.build/deb PREFIX=/usr UNITDIR=/lib/systemd/system >/dev/null
	mkdir -p .build/deb/DEBIAN
	sed 's|@VERSION@|$(VERSION)|; s|@SIZE@|'$$(du -sk .build/deb | cut -f1)'|' packaging/deb/control.in > .build/deb/DEBIAN/control
	echo /etc/ipvstune.conf > .build/deb/DEBIAN/conffiles
	install -m 0755 packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm .build/deb/DEBIAN/
	dpkg-deb --root-owner-group -Zgzip --build .build/deb $@ >/dev/null
	@echo "built $@"

clean:
	rm -rf .build .cache .build-asan .build-fuzz .build-fuzz-unit
