# test_stream: quire --stream, JSON Lines records in and out
# (tests/stream_check.py).  Labelled threads: it runs -j2 and -j4, and so
# runs in the ThreadSanitizer build too.  Under a sanitizer memory says
# nothing of quire's own: the memory check is left out there.
set(stream_check_args)
if(QUIRE_SANITIZE OR QUIRE_TSAN)
  set(stream_check_args --no-memory)
endif()
add_test(NAME test_stream
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/stream_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR}
                 ${stream_check_args})
set_tests_properties(test_stream PROPERTIES TIMEOUT 900 LABELS threads)
