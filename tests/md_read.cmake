# The Markdown reader (docs/formats/markdown.md, "Reading").
#
# test_md_read: every CommonMark and GFM construct onto the model, YAML
# front matter, invalid UTF-8 and deep nesting (test_md_read.c).
quire_test(test_md_read test_md_read.c session_fixture.c)
add_dependencies(test_md_read plugin_markdown)

# test_md_spec: the 655 examples of the CommonMark spec, `-f md -t html
# --fragment`, none crashing and at least 95% giving the spec's HTML once
# both are normalized; prints the count and the differing examples by
# section.  Skips without ../shared/peers.
add_test(NAME test_md_spec
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/md_spec_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_md_spec PROPERTIES
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  SKIP_RETURN_CODE 77
  TIMEOUT 300)

# test_md_pandoc_words: pandoc's test document read -f md and -f gfm
# without an error, and every word of `pandoc -t plain` of it in quire's
# `-t txt` but for a short list of pandoc-only syntax.  Skips without
# ../shared/peers or pandoc.
add_test(NAME test_md_pandoc_words
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/md_pandoc_words.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_md_pandoc_words PROPERTIES
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  SKIP_RETURN_CODE 77
  TIMEOUT 300)
