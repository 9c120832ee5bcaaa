# test_images_travel: a page's PNG, JPEG, GIF, WebP and SVG images, in sub-
# and parent folders, reach an EPUB once each and an HTML page by every
# route (--extract-media, --embed-resources, the default), through the
# command line (images_travel.py; epubcheck when installed).
add_test(NAME test_images_travel
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/images_travel.py
                 $<TARGET_FILE:quire-cli>)
set_tests_properties(test_images_travel PROPERTIES TIMEOUT 300)

