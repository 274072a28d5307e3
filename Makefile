# Installs ventia, ventia-server and ventia-gateway with their man pages (one a command) and
# their bash, zsh and fish completions:  make install [PREFIX=~/.local]  ·  make uninstall
# CONFIG=debug installs the debug builds (what `swift build` and the tests already made).
PREFIX ?= /usr/local
CONFIG ?= release
SWIFT ?= swift
PRODUCTS := ventia ventia-server ventia-gateway
BINDIR := $(DESTDIR)$(PREFIX)/bin
MANDIR := $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
MANUALS := .build/plugins/GenerateManual/outputs

.PHONY: all build manuals install uninstall

all: build

build:
	@for product in $(PRODUCTS); do $(SWIFT) build -c $(CONFIG) --product $$product || exit 1; done

manuals: build
	$(SWIFT) package generate-manual --multi-page --configuration $(CONFIG)

install: build manuals
	@bin=$$($(SWIFT) build -c $(CONFIG) --show-bin-path); \
	install -d "$(BINDIR)" "$(MANDIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"; \
	for product in $(PRODUCTS); do \
		install -m 755 "$$bin/$$product" "$(BINDIR)/$$product" || exit 1; \
		install -m 644 $(MANUALS)/$$product/*.1 "$(MANDIR)/" || exit 1; \
		"$$bin/$$product" --generate-completion-script bash > "$(BASHDIR)/$$product" || exit 1; \
		"$$bin/$$product" --generate-completion-script zsh > "$(ZSHDIR)/_$$product" || exit 1; \
		"$$bin/$$product" --generate-completion-script fish > "$(FISHDIR)/$$product.fish" || exit 1; \
	done; \
	echo "installed $(PRODUCTS) into $(PREFIX) (man pages in $(PREFIX)/share/man/man1)"

uninstall:
	@for product in $(PRODUCTS); do \
		rm -f "$(BINDIR)/$$product" "$(MANDIR)/$$product.1" "$(MANDIR)/$$product".*.1 \
			"$(BASHDIR)/$$product" "$(ZSHDIR)/_$$product" "$(FISHDIR)/$$product.fish"; \
	done; \
	echo "removed $(PRODUCTS) from $(PREFIX)"
