# The Markdown writer (docs/formats/markdown.md, "Writing"): one ctest test
# per mode of md_write_check.py.  Each skips (77) without cmark-gfm; spec
# and columns also without ../shared/peers.
#
# test_md_write_spec:    the 655 CommonMark spec examples, md and gfm:
#                        stable after one pass, same HTML from cmark-gfm
# test_md_write_corpus:  corpus and test inputs: stable, every word kept
# test_md_write_escape:  special characters in many contexts read back
# test_md_write_columns: --columns 10, 12, 20, 40 keep the structure
# test_md_write_front:   the front matter reads back the same
foreach(mode spec corpus escape columns front)
  add_test(NAME test_md_write_${mode}
           COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/md_write_check.py
                   $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR} ${mode})
  set_tests_properties(test_md_write_${mode} PROPERTIES
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    SKIP_RETURN_CODE 77
    TIMEOUT 600)
endforeach()
