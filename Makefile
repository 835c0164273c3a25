# convlab: build, test, demo, bench.
#
#   make demo        every chapter's demo in quick mode, on the embedded default data (outputs in out/)
#   make test        check that includes point down the layers, build and run the tests (doctest);
#                    one suite: make test T='ch08*'
#   make SAN=1 test  the same under AddressSanitizer + UndefinedBehaviorSanitizer (build-san/)
#   make bench       benchmarks against OpenBLAS / PyTorch when installed (tests/bench/)
#   make student OUT=dir   the student copy: every graded body replaced by not_implemented("<id>")
#   make grade [EX=id]     score table of the exercises' tests (grade.json); exit 0 only if all pass
#   make grade SUBMISSION=dir [EX=id]   a student's copy graded against this tree (dir/grade.json)
#   make grade-class SUBMISSIONS=dir    every subfolder of dir graded: dir/scores.csv
#   make grade-selftest    the grader's own tests (student copy fails all, solution passes all, ...)
#   make fuzz [RUNS=n]     libFuzzer (clang) on every parser of outside input, RUNS executions each
#                          (FUZZ_SEED=0 for a fresh random seed)
#   make face-models the pretrained face networks: face-api's weights (npm), checked and converted into
#                    data/models/ (docs/face-models.md)
#   make face-api-peer  face-api and tfjs (npm) in build/face-api-peer/: bench_face's peer (optional)
#   make deps        install doctest-dev and libstb-dev when missing (apt-get, as root)
#   make clean

CXX      ?= g++
SAN      ?= 0
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
MAKEFLAGS += --no-print-directory

# BUILD can be set on the command line (make BUILD=build-mine) to keep several builds apart.
ifeq ($(SAN),1)
  BUILD    ?= build-san
  OPTFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
              -DCONVLAB_NO_ALLOC_CACHE
  LDSAN    := -fsanitize=address,undefined
else
  BUILD    ?= build
  OPTFLAGS := -O3 -march=native
  LDSAN    :=
endif

CXXFLAGS ?= -std=c++17 $(OPTFLAGS) -Wall -Wextra -pthread
CPPFLAGS += -Isrc -I.
LDFLAGS  += -pthread $(LDSAN)

DEPS_STAMP := $(BUILD)/.deps-ok
HEADERS    := /usr/include/doctest/doctest.h /usr/include/stb/stb_image.h /usr/include/stb/stb_image_write.h

# ---- sources -----------------------------------------------------------------------------------------
LIB_SRC      := $(shell find src -name '*.cpp' | sort)
CHAPTER_MAIN := $(sort $(wildcard chapters/[0-9]*/main.cpp))
CHAPTER_TOOL := $(sort $(wildcard chapters/[0-9]*/tool_*.cpp))
CHAPTER_SRC  := $(filter-out $(CHAPTER_MAIN) $(CHAPTER_TOOL), $(sort $(wildcard chapters/[0-9]*/*.cpp)))
TEST_SRC     := $(shell find tests -name '*.cpp' -not -path 'tests/bench/*' -not -path 'tests/fuzz/*' \
                  -not -path 'tests/tools/*' | sort)
REPORT_SRC   := $(sort $(wildcard tests/tools/*.cpp))
BENCH_SRC    := $(sort $(wildcard tests/bench/*.cpp))

obj = $(patsubst %.cpp,$(BUILD)/obj/%.o,$(1))

LIB          := $(BUILD)/libconvlab.a
CHAPTER_LIB  := $(BUILD)/libchapters.a
CHAPTER_BINS := $(foreach m,$(CHAPTER_MAIN),$(BUILD)/bin/$(notdir $(patsubst %/,%,$(dir $(m)))))
TOOL_BINS    := $(foreach t,$(CHAPTER_TOOL),$(BUILD)/bin/$(patsubst tool_%.cpp,%,$(notdir $(t))))
TEST_BIN     := $(BUILD)/bin/tests
BENCH_BINS   := $(patsubst tests/bench/%.cpp,$(BUILD)/bin/bench_%,$(BENCH_SRC))
CONVERTER    := $(BUILD)/bin/convert_face_models
REPORT       := $(BUILD)/bin/demo_report

.PHONY: all test demo bench clean deps student grade grade-class grade-selftest fuzz fuzz-bins face-models face-api-peer \
        vgg19 gallery
.DEFAULT_GOAL := all
.SECONDARY:  # keep the chapters' main.o: they are intermediate files of pattern rules, not temporaries

all: $(LIB) $(CHAPTER_BINS) $(TOOL_BINS) $(TEST_BIN) $(CONVERTER) $(REPORT)

# ---- dependencies: doctest and stb headers ------------------------------------------------------------
deps: $(DEPS_STAMP)

$(DEPS_STAMP):
	@missing=""; for h in $(HEADERS); do [ -f $$h ] || missing="$$missing $$h"; done; \
	if [ -n "$$missing" ]; then \
	  echo "convlab: missing headers:$$missing"; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "convlab: installing doctest-dev libstb-dev with apt-get"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q doctest-dev libstb-dev >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q doctest-dev libstb-dev >/dev/null; } || \
	    { echo "convlab: apt-get failed; run: sudo apt-get install doctest-dev libstb-dev"; exit 1; }; \
	  else \
	    echo "convlab: run: sudo apt-get install doctest-dev libstb-dev"; exit 1; \
	  fi; \
	fi
	@mkdir -p $(dir $@) && touch $@

# ---- compile and link ---------------------------------------------------------------------------------
$(BUILD)/obj/%.o: %.cpp | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -MMD -MP -MF $(@:.o=.d) -MT $@ -c $< -o $@.$$$$.tmp && mv -f $@.$$$$.tmp $@

# Outputs are written to a temporary name and renamed, so two makes sharing a build dir never see half a file.
# stb (third-party C) calls memcpy(NULL, src, 0) on empty PNG chunks: undefined by the letter of C, harmless
# in practice, and not ours to change; the sanitizers skip that one check in the file that compiles stb.
$(BUILD)/obj/src/io/stb_impl.o: CXXFLAGS += -fno-sanitize=nonnull-attribute

# The version the programs report (src/app/version.hpp): `git describe` written into one generated file on each
# make, rewritten only when it changes, so a new commit recompiles that file and relinks, nothing else.
VERSION_CPP := $(BUILD)/gen/version.cpp
.PHONY: FORCE
$(VERSION_CPP): FORCE
	@tests/tools/version_cpp.sh $@

$(LIB): $(call obj,$(LIB_SRC) $(VERSION_CPP))
	@mkdir -p $(dir $@) && rm -f $@.$$$$.tmp && ar rcs $@.$$$$.tmp $^ && mv -f $@.$$$$.tmp $@

$(CHAPTER_LIB): $(call obj,$(CHAPTER_SRC))
	@mkdir -p $(dir $@) && rm -f $@.$$$$.tmp && ar rcs $@.$$$$.tmp $^ && mv -f $@.$$$$.tmp $@

$(BUILD)/bin/%: $(BUILD)/obj/chapters/%/main.o $(CHAPTER_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $< $(CHAPTER_LIB) $(LIB) $(LDFLAGS) -o $@.$$$$.tmp && mv -f $@.$$$$.tmp $@

define tool_rule
$(BUILD)/bin/$(patsubst tool_%.cpp,%,$(notdir $(1))): $(call obj,$(1)) $(CHAPTER_LIB) $(LIB)
	@mkdir -p $$(dir $$@)
	$(CXX) $$< $(CHAPTER_LIB) $(LIB) $(LDFLAGS) -o $$@.$$$$$$$$.tmp && mv -f $$@.$$$$$$$$.tmp $$@
endef
$(foreach t,$(CHAPTER_TOOL),$(eval $(call tool_rule,$(t))))

$(TEST_BIN): $(call obj,$(TEST_SRC)) $(CHAPTER_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(call obj,$(TEST_SRC)) $(CHAPTER_LIB) $(LIB) $(LDFLAGS) -o $@.$$$$.tmp && mv -f $@.$$$$.tmp $@

$(BUILD)/bin/bench_%: $(BUILD)/obj/tests/bench/%.o $(CHAPTER_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $< $(CHAPTER_LIB) $(LIB) $(LDFLAGS) -o $@.$$$$.tmp && mv -f $@.$$$$.tmp $@

$(CONVERTER): $(call obj,data/convert_face_models.cpp) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $< $(LIB) $(LDFLAGS) -o $@.$$$$.tmp && mv -f $@.$$$$.tmp $@

# the page make demo ends with (out/index.html)
$(REPORT): $(call obj,$(REPORT_SRC)) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(call obj,$(REPORT_SRC)) $(LIB) $(LDFLAGS) -o $@.$$$$.tmp && mv -f $@.$$$$.tmp $@

# ---- run ----------------------------------------------------------------------------------------------
# T selects test suites by name pattern (doctest -ts), e.g. T='core*' or T='ch08.gram'.
test:
	@tests/tools/check_layers.sh
	@$(MAKE) -j$(JOBS) $(TEST_BIN) $(CHAPTER_BINS) $(TOOL_BINS) $(REPORT)
	$(TEST_BIN) $(if $(T),-ts='$(T)') --duration=false

demo:
	@$(MAKE) -j$(JOBS) $(CHAPTER_BINS) $(TOOL_BINS) $(REPORT)
	@set -e; for b in $(CHAPTER_BINS); do \
	  echo "=== $$b --quick ==="; $$b --quick; \
	done; echo "convlab: every chapter's quick demo ran; outputs are in out/"
	@$(REPORT) --out out

# bench_face last: bench_speed rewrites its sections of docs/benchmarks.md, then bench_face its own at the end.
bench:
	@$(MAKE) -j$(JOBS) $(BENCH_BINS)
	@set -e; for b in $(filter-out %/bench_face,$(BENCH_BINS)) $(filter %/bench_face,$(BENCH_BINS)); do $$b; done

# ---- fuzzing: the library rebuilt by clang with sanitizers in build-fuzz/, one program per parser -------
FUZZ_TARGETS := image checkpoint face_database ucr options vgg_weights json tfjs_manifest
FUZZ_BINS    := $(patsubst %,$(BUILD)/bin/fuzz_%,$(FUZZ_TARGETS))
RUNS         ?= 20000
# libFuzzer's seed: the same inputs every run, so CI is repeatable (FUZZ_SEED=0: a new seed each run)
FUZZ_SEED    ?= 1

fuzz-bins: $(FUZZ_BINS)

$(BUILD)/bin/fuzz_%: tests/fuzz/fuzz_main.cpp tests/fuzz/targets.hpp $(CHAPTER_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -fsanitize=fuzzer -DFUZZ_TARGET=$* $< $(CHAPTER_LIB) $(LIB) $(LDFLAGS) -o $@

fuzz:
	@command -v clang++ >/dev/null || { echo "convlab: make fuzz needs clang++ (apt-get install clang)"; exit 1; }
	@$(MAKE) -j$(JOBS) BUILD=build-fuzz CXX=clang++ \
	  OPTFLAGS="-O1 -g -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined -DCONVLAB_NO_ALLOC_CACHE" \
	  LDSAN="-fsanitize=address,undefined" fuzz-bins
	@set -e; for t in $(FUZZ_TARGETS); do \
	  work=$$(mktemp -d); cp -r tests/fuzz/corpus/$$t/. $$work/ 2>/dev/null || true; \
	  echo "=== fuzz_$$t: $(RUNS) runs"; \
	  build-fuzz/bin/fuzz_$$t -runs=$(RUNS) -seed=$(FUZZ_SEED) -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=tests/fuzz/regressions/$$t- $$work > $$work.log 2>&1 \
	    || { tail -n 40 $$work.log; echo "fuzz_$$t FAILED: reproducer in tests/fuzz/regressions/"; exit 1; }; \
	  grep -E '^#[0-9]+ *DONE|^Done' $$work.log; rm -rf $$work $$work.log; \
	done; echo "convlab: fuzzing clean"

# ---- VGG-19 for style transfer (data/export_vgg19.py, docs/nst-feature-networks.md) ----------------------
# torchvision's ImageNet VGG-19 as data/vgg19.weights (git-ignored), which chapters 05-09 then use by default.
# FROM=path/to/vgg19-dcbb9e9d.pth converts a file fetched elsewhere (offline machines) instead of downloading.
# The first Python that imports torch and torchvision: python3, then Debian's /usr/bin/python3.
VGG19_PYTHONS ?= python3 /usr/bin/python3

vgg19:
	@py=""; for p in $(VGG19_PYTHONS); do \
	  if $$p -c 'import torch, torchvision' >/dev/null 2>&1; then py=$$p; break; fi; done; \
	if [ -z "$$py" ]; then echo "convlab: make vgg19 needs a Python with torch and torchvision (tried: \
	$(VGG19_PYTHONS)); Debian: sudo apt-get install python3-torchvision, else: pip install torch torchvision"; \
	exit 1; fi; \
	echo "convlab: $$py data/export_vgg19.py --out data/vgg19.weights$(if $(FROM), --from $(FROM))"; \
	$$py data/export_vgg19.py --out data/vgg19.weights $(if $(FROM),--from '$(FROM)')

# ---- the style-transfer gallery (docs/nst-gallery.md): six content x style pairs at 256 and 512 px ------
GALLERY_OUT ?= out/gallery
gallery:
	@[ -n "$(DATA)" ] || { echo "convlab: make gallery DATA=dir (the folder holding nst/content and nst/style)"; exit 1; }
	@$(MAKE) -j$(JOBS) $(BUILD)/bin/09_neural_style_transfer
	NST_BIN=$(BUILD)/bin/09_neural_style_transfer tests/tools/nst_gallery.sh '$(DATA)' '$(GALLERY_OUT)' $(or $(IT256),100) $(or $(IT512),20) $(or $(ITFIXED),100)

# ---- the pretrained face networks (docs/face-models.md) -------------------------------------------------
# face-api's weights from its npm package, checked against data/face-models.sha256, converted into
# $(FACE_MODELS). Offline: put the tarball at $(FACE_API_TGZ), or run the converter on a model/ folder.
FACE_API_VERSION := 1.7.15
FACE_API_CACHE   ?= build/face-api
FACE_API_TGZ     := $(FACE_API_CACHE)/vladmandic-face-api-$(FACE_API_VERSION).tgz
FACE_API_FILES   := $(addprefix package/model/,$(shell cut -d' ' -f3 data/face-models.sha256))
FACE_MODELS      ?= data/models

face-models:
	@$(MAKE) -q $(CONVERTER) 2>/dev/null || $(MAKE) -j$(JOBS) $(CONVERTER)
	@if $(CONVERTER) --check $(FACE_MODELS) >/dev/null 2>&1; then \
	  echo "convlab: the face models in $(FACE_MODELS) are there and valid: nothing to do"; exit 0; fi; \
	mkdir -p $(FACE_API_CACHE); \
	if [ ! -f $(FACE_API_TGZ) ]; then \
	  if ! command -v npm >/dev/null; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "convlab: installing npm with apt-get"; \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm >/dev/null 2>&1 || \
	      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm >/dev/null; } || \
	      { echo "convlab: apt-get failed; run: sudo apt-get install npm"; exit 1; }; \
	    else \
	      echo "convlab: make face-models needs npm; run: sudo apt-get install npm"; exit 1; \
	    fi; \
	  fi; \
	  echo "convlab: npm pack @vladmandic/face-api@$(FACE_API_VERSION) into $(FACE_API_CACHE)/"; \
	  ( cd $(FACE_API_CACHE) && npm pack @vladmandic/face-api@$(FACE_API_VERSION) ) >$(FACE_API_CACHE)/npm.log 2>&1 && \
	    [ -f $(FACE_API_TGZ) ] || { echo "convlab: npm pack @vladmandic/face-api@$(FACE_API_VERSION) failed (see \
	$(FACE_API_CACHE)/npm.log); offline, copy the tarball to $(FACE_API_TGZ)"; exit 1; }; \
	fi; \
	rm -rf $(FACE_API_CACHE)/package; \
	tar -xzf $(FACE_API_TGZ) -C $(FACE_API_CACHE) $(FACE_API_FILES) 2>/dev/null || \
	  { echo "convlab: $(FACE_API_TGZ) is not face-api's package (no package/model/ files); remove it and run \
	make face-models again"; exit 1; }; \
	bad=$$(cd $(FACE_API_CACHE)/package/model && sha256sum -c $(CURDIR)/data/face-models.sha256 2>/dev/null | \
	  grep -v ': OK$$' | cut -d: -f1 | tr '\n' ' '); \
	if [ -n "$$bad" ]; then echo "convlab: sha256 mismatch in $(FACE_API_TGZ) for: $$bad(expected the sums in \
	data/face-models.sha256); remove it and run make face-models again"; exit 1; fi; \
	echo "convlab: sha256 of the 3 manifests and 3 weights files match data/face-models.sha256"; \
	$(CONVERTER) $(FACE_API_CACHE)/package/model $(FACE_MODELS)

# ---- face-api as the peer of bench_face (tests/bench/peer_faceapi.js), never a build dependency ----------
# npm packages in $(FACE_API_PEER)/ (git-ignored with build/); tests/bench/faceapi_peer.hpp looks for them there.
FACE_API_PEER      := build/face-api-peer
FACE_API_PEER_PKGS := @vladmandic/face-api@$(FACE_API_VERSION) @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0

face-api-peer:
	@installed() { grep -qs "\"version\": \"$$2\"" $(FACE_API_PEER)/node_modules/$$1/package.json; }; \
	if installed @vladmandic/face-api $(FACE_API_VERSION) && installed @tensorflow/tfjs 4.22.0 && \
	   installed @tensorflow/tfjs-backend-wasm 4.22.0; then \
	  echo "convlab: face-api's peer is in $(FACE_API_PEER)/: nothing to do"; exit 0; fi; \
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
	  echo "convlab: make face-api-peer needs node and npm; run: sudo apt-get install nodejs npm"; exit 1; fi; \
	mkdir -p $(FACE_API_PEER) && echo '{ "private": true }' > $(FACE_API_PEER)/package.json; \
	echo "convlab: npm install $(FACE_API_PEER_PKGS) into $(FACE_API_PEER)/"; \
	( cd $(FACE_API_PEER) && npm install --no-audit --no-fund $(FACE_API_PEER_PKGS) ) >$(FACE_API_PEER)/npm.log 2>&1 || \
	  { echo "convlab: npm install failed (see $(FACE_API_PEER)/npm.log)"; exit 1; }; \
	echo "convlab: face-api's peer installed; build/bin/bench_face now times face-api beside convlab"

OUT ?= ../convlab-student
student:
	@tests/grader/make_student.sh $(OUT)

# SUBMISSION=dir: the student's bodies graded against this tree (tests/grader/grade_submission.sh)
grade:
ifdef SUBMISSION
	@JOBS=$(JOBS) tests/grader/grade_submission.sh $(SUBMISSION) $(EX)
else
	@$(MAKE) -j$(JOBS) $(TEST_BIN)
	@tests/grader/grade.sh $(TEST_BIN) $(EX)
endif

grade-class:
	@JOBS=$(JOBS) tests/grader/grade_class.sh $(SUBMISSIONS)

grade-selftest:
	@JOBS=$(JOBS) tests/grader/selftest.sh

clean:
	rm -rf build build-san build-*

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
