# test_epub_words: every word of the peer suites' books (the W3C
# epub-tests, pandoc's EPUBs, epubcheck's zipped publications) reaches
# quire's text.  Skips without ../shared/peers.  See epub_words_check.py.
set(QUIRE_PEER_BOOKS ${PROJECT_SOURCE_DIR}/../shared/peers)
add_test(NAME test_epub_words
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/epub_words_check.py
                 $<TARGET_FILE:quire-cli> ${QUIRE_PEER_BOOKS}/epub-tests
                 ${QUIRE_PEER_BOOKS}/pandoc/epub
                 ${QUIRE_PEER_BOOKS}/epubcheck/zipped)
set_tests_properties(test_epub_words PROPERTIES
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  SKIP_RETURN_CODE 77
  TIMEOUT 600)
