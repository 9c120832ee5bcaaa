# test_one_document: QUIRE_FORMAT_ONE_DOCUMENT, kept or broken, gives the
# same outcome at any -j (tests/one_document_check.sh).  The reader that
# breaks it lives in a folder of its own, away from the loader's test
# plugins, some of which are broken on purpose.
add_library(one_document_plugin_two_docs MODULE plugins/two_docs.c)
target_include_directories(one_document_plugin_two_docs PRIVATE
                           ${PROJECT_SOURCE_DIR}/include)
set_target_properties(one_document_plugin_two_docs PROPERTIES
  PREFIX "" OUTPUT_NAME two_docs C_VISIBILITY_PRESET hidden
  LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/one-document-plugins)
target_link_options(one_document_plugin_two_docs PRIVATE -Wl,--no-undefined)
add_test(NAME test_one_document
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/one_document_check.sh
                 $<TARGET_FILE:quire-cli>
                 ${CMAKE_CURRENT_BINARY_DIR}/one-document-plugins
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(test_one_document PROPERTIES LABELS "threads")
