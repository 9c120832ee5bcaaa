# test_titles: the title of a page or text (tests/titles_check.py): the
# visible title block of HTML with and without --title, for one document
# and for a folder of five; the <title> rule (--title, the document's own,
# the folder's name, the output's name, "Untitled"); the text's title and
# boundaries between documents, and --no-boundaries; txt to txt giving the
# same bytes again.  Scratch folders come from tempfile.
add_test(NAME test_titles
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/titles_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_titles PROPERTIES TIMEOUT 300)
