# Tree-sitter grammars, compiled from the pinned npm packages (ABI 14).
# Generated parsers are not ours to lint: they build without our warnings.
set(_wm_grammar_dirs
  tree-sitter-python/src
  tree-sitter-javascript/src
  tree-sitter-typescript/typescript/src
  tree-sitter-typescript/tsx/src
  tree-sitter-go/src
  tree-sitter-rust/src
  tree-sitter-c/src
  tree-sitter-cpp/src
  tree-sitter-json/src
  @tree-sitter-grammars/tree-sitter-toml/src)

set(_wm_grammar_sources)
foreach(dir ${_wm_grammar_dirs})
  set(_d "${WM_GRAMMARS_DIR}/${dir}")
  if(NOT EXISTS "${_d}/parser.c")
    message(FATAL_ERROR "Grammar source ${_d}/parser.c is missing: run ci/install-deps.sh (npm ci --ignore-scripts)")
  endif()
  file(STRINGS "${_d}/parser.c" _abi REGEX "^#define LANGUAGE_VERSION ")
  if(NOT _abi MATCHES "LANGUAGE_VERSION 1[34]$")
    message(FATAL_ERROR "${_d}/parser.c is not ABI 13/14 (${_abi}); libtree-sitter 0.20.7 cannot load it")
  endif()
  # Each grammar gets its own object library: parser.c files share static
  # names across grammars only inside their own translation units, but they
  # include their own tree_sitter/parser.h, so include paths must not mix.
  string(MAKE_C_IDENTIFIER "${dir}" _id)
  set(_srcs "${_d}/parser.c")
  if(EXISTS "${_d}/scanner.c")
    list(APPEND _srcs "${_d}/scanner.c")
  endif()
  add_library(wm_grammar_${_id} OBJECT ${_srcs})
  target_include_directories(wm_grammar_${_id} PRIVATE "${_d}")
  target_compile_options(wm_grammar_${_id} PRIVATE -w -O2)
  set_target_properties(wm_grammar_${_id} PROPERTIES C_STANDARD 11 C_EXTENSIONS ON)
  list(APPEND _wm_grammar_sources $<TARGET_OBJECTS:wm_grammar_${_id}>)
endforeach()

add_library(wm_grammars STATIC ${_wm_grammar_sources})
