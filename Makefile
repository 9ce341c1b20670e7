# ipvstune: build, test, demo, bench, install.
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
BIN := .build/ipvstune
VM := Tests/vm/vm.sh

# Debian packages the build and the VM harness need.
DEB_PACKAGES := libnl-3-dev libnl-genl-3-dev pkg-config qemu-system-x86 busybox-static \
	ipvsadm cpio kmod gzip

.PHONY: all build deps test unit vm-test demo bench install uninstall clean

all: build

# A fully static release binary: runs on any x86-64 director with nothing installed.
build: $(BIN)

$(BIN): Package.swift $(shell find Sources -type f)
	$(SWIFT) build -c release -Xswiftc -static-executable 2>&1 | grep -v 'statically linked applications requires at runtime\|warning: the use of .mktemp' ; test $${PIPESTATUS[0]} -eq 0
	strip -o $@ .build/release/ipvstune

SHELL := /bin/bash

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@apt-cache depends linux-image-amd64 2>/dev/null | grep -q 'Depends: linux-image-[0-9]' || apt-get update -qq

test: deps unit vm-test

unit:
	$(SWIFT) test

vm-test: deps build
	$(VM) run test $(SCENARIOS)

demo: deps build
	@$(VM) run demo

bench: deps build
	$(VM) run bench $(BENCH)

install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/ipvstune

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/ipvstune

clean:
	rm -rf .build .cache
