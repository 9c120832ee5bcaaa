# test_cli_pandoc: pandoc's spellings give what quire's own give; pandoc's
# options quire lacks are refused with a message saying so; "did you
# mean"; folders' unreadable files skipped with a warning, --strict,
# --recursive; --help against the man page (tests/cli_pandoc_check.py).
add_test(NAME test_cli_pandoc
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli_pandoc_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR}
                 ${PROJECT_BINARY_DIR}/quire.1)
set_tests_properties(test_cli_pandoc PROPERTIES TIMEOUT 300)
