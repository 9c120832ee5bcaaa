# test_encodings: text in any encoding reads as its UTF-8 original does
# (issue 18): real texts re-encoded with the iconv command into legacy
# encodings, UTF-16 and UTF-32 with and without a byte order mark, as text
# and as HTML without a charset; --input-encoding over detection and
# declarations, in archives and stream records too; the unsure warning,
# the metadata and the -v note (tests/encodings_check.py).
add_test(NAME test_encodings
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/encodings_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/encodings-work)
set_tests_properties(test_encodings PROPERTIES TIMEOUT 600)
