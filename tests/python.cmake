# test_python: the Python module (python/quire) from the build tree
# (tests/python_check.py).  Labelled threads: it converts on four Python
# threads at once.  Not in a sanitizer build: python3 cannot load a
# libquire built with a sanitizer runtime that python itself lacks.
if(NOT QUIRE_SANITIZE AND NOT QUIRE_TSAN)
  add_test(NAME test_python
           COMMAND ${CMAKE_COMMAND} -E env
                   PYTHONPATH=${PROJECT_BINARY_DIR}/python
                   python3 ${CMAKE_CURRENT_SOURCE_DIR}/python_check.py
                   ${PROJECT_SOURCE_DIR} $<TARGET_FILE:quire-cli>)
  set_tests_properties(test_python PROPERTIES TIMEOUT 600 LABELS threads)
endif()
