# The EPUB writer and Model 2: splitting, links across files, resources,
# metadata (JSON inputs written by the test); and EPUB to EPUB over the
# peer suites (test_epub_roundtrip, long: epubcheck reads ~400 books).
pkg_check_modules(TEST_EPUBW_ZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(TEST_EPUBW_XML REQUIRED IMPORTED_TARGET libxml-2.0)
pkg_check_modules(TEST_EPUBW_NETTLE REQUIRED IMPORTED_TARGET nettle)
quire_test(test_epub_write_model test_epub_write_model.c run_cmd.c
           test_files.c epubcheck_run.c)
quire_test(test_epub_roundtrip test_epub_roundtrip.c run_cmd.c test_files.c
           epubcheck_run.c)
foreach(t test_epub_write_model test_epub_roundtrip)
  target_link_libraries(${t} PRIVATE PkgConfig::TEST_EPUBW_ZIP
                        PkgConfig::TEST_EPUBW_XML PkgConfig::TEST_EPUBW_NETTLE)
  add_dependencies(${t} quire-cli plugin_txt plugin_html plugin_epub
                   plugin_json)
  if(TARGET epubcheck_each)
    add_dependencies(${t} epubcheck_each)
    target_compile_definitions(${t} PRIVATE
      EPUBCHECK_EACH_DIR="${QUIRE_EPUBCHECK_EACH_DIR}")
  endif()
endforeach()
set_tests_properties(test_epub_write_model PROPERTIES TIMEOUT 600)
set_tests_properties(test_epub_roundtrip PROPERTIES TIMEOUT 2400)

# A 8 MB text file to EPUB: every file under the cap, the table of
# contents listing them all, peak memory under twice the input
# (scripts/epub-split-check; the 150 MB run is by hand).
# Under a sanitizer, memory says nothing of quire's own: not checked.
set(split_check_memory)
if(QUIRE_SANITIZE)
  set(split_check_memory --no-memory)
endif()
add_test(NAME epub_split_check
         COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/epub-split-check
                 --size 8M --quire ${PROJECT_BINARY_DIR}/bin/quire
                 ${split_check_memory})
set_tests_properties(epub_split_check PROPERTIES
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} TIMEOUT 600 SKIP_RETURN_CODE 77)
