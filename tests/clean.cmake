# The clean transform's evaluation (issue 9): own pages, the readability
# test pages and the corpus, scored by word 4-gram shingles.  Without the
# transform it scores the uncleaned text as a baseline and its target tests
# skip.  utf8proc splits and lower-cases words in any script.
pkg_check_modules(CLEAN_UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
quire_test(test_clean test_clean.c)
target_link_libraries(test_clean PRIVATE PkgConfig::CLEAN_UTF8PROC)
add_dependencies(test_clean plugin_txt plugin_html plugin_epub)
if(TARGET plugin_clean)
  add_dependencies(test_clean plugin_clean)
endif()
