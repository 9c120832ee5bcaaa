# test_epub2: -t epub2 books of the corpus, its articles, the test texts
# and HTML, and pages made in the test (images of every type, notes, a
# table, a figure, sections, an aside, lists, struck and underlined text,
# stray attributes, a cover, GFM with raw HTML): epubcheck passes each
# with no error and no warning, the NCX lists every chapter in order, the
# pages are XHTML 1.1, and quire reads every word back.  Skips (77)
# without java or epubcheck.  See epub2_check.py; its scratch folder is
# tempfile's, and the source folder is only read.
# Where epub_write.cmake compiles EpubcheckEach (when javac is here; the
# script starts one VM per book when the class is not there).
set(QUIRE_EPUB2_EACH ${CMAKE_CURRENT_BINARY_DIR}/java)
add_test(NAME test_epub2
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/epub2_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR}
                 ${QUIRE_EPUB2_EACH})
set_tests_properties(test_epub2 PROPERTIES
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
  SKIP_RETURN_CODE 77
  TIMEOUT 900)
