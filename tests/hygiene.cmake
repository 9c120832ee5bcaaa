# test_hygiene (tests/hygiene_check.py): corpus hygiene where it meets the
# writers: the languages an EPUB states without --lang (epubcheck passes
# them), --clean by the identified language, --stream --dedup marking
# duplicates, quire bundle --dedup keeping their sources.  Its scratch
# folder is tempfile's; the source folder is only read.  Labelled threads:
# scripts/test runs it from the ThreadSanitizer build too (--stream -j2,
# the lang transform on the reading threads).
add_test(NAME test_hygiene
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/hygiene_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_hygiene PROPERTIES TIMEOUT 600 LABELS threads)
