# test_lang: the lang transform (plugins/lang/) gives the texts of
# tests/data/lang/ and the clean transform's news pages the language of
# their names, leaves short texts without one (with a -v note), keeps a
# language the source declares, skips code, and writes the same bytes at
# -j1 and -j2.  See lang_check.py.  Labelled threads, so scripts/test runs
# it from the ThreadSanitizer build too.
add_test(NAME test_lang
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/lang_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/lang-work)
set_tests_properties(test_lang PROPERTIES TIMEOUT 600 LABELS threads)
