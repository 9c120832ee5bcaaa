# clean_stopwords.cmake - turns stopwords-iso.json into a C table.
#
#   cmake -DJSON=stopwords-iso.json -DOUT=clean_stopwords_table.c -P clean_stopwords.cmake
#
# stopwords-iso (MIT) is a JSON object: language code -> array of words.
# The table holds, per language, its single-word entries sorted in byte
# order (what strcmp and bsearch expect) without duplicates.  Entries the
# tokenizer can never produce are left out: phrases (a space), and entries
# holding characters that are not part of words (quotes, backslashes,
# semicolons, brackets, question marks) or starting with a digit.
if(NOT JSON OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DJSON=FILE -DOUT=FILE -P clean_stopwords.cmake")
endif()
if(NOT EXISTS "${JSON}")
  message(FATAL_ERROR "stopword lists not found at ${JSON}: "
                      "run scripts/install-deps (it installs stopwords-iso), "
                      "or set QUIRE_STOPWORDS_JSON to the file")
endif()

file(READ "${JSON}" json)
string(JSON n_langs ERROR_VARIABLE err LENGTH "${json}")
if(err)
  message(FATAL_ERROR "${JSON} is not a JSON object of word lists: ${err}")
endif()

set(body "")
set(index "")
set(total 0)
math(EXPR last_lang "${n_langs} - 1")
set(codes "")
foreach(i RANGE ${last_lang})
  string(JSON code MEMBER "${json}" ${i})
  list(APPEND codes "${code}")
endforeach()
list(SORT codes)

foreach(code IN LISTS codes)
  if(NOT code MATCHES "^[a-z][a-z][a-z]?$")
    continue()
  endif()
  # Each call of string(JSON) parses its whole input: parse the language's
  # array on its own, not the whole file once per word.
  string(JSON arr GET "${json}" "${code}")
  string(JSON n_words LENGTH "${arr}")
  set(words "")
  if(n_words GREATER 0)
    math(EXPR last_word "${n_words} - 1")
    foreach(j RANGE ${last_word})
      string(JSON w GET "${arr}" ${j})
      string(TOLOWER "${w}" w)
      if(w STREQUAL "" OR w MATCHES "[] \t\"\\;?[]" OR w MATCHES "^[0-9]")
        continue()
      endif()
      list(APPEND words "${w}")
    endforeach()
  endif()
  list(REMOVE_DUPLICATES words)
  list(SORT words COMPARE STRING)
  list(LENGTH words count)
  if(count EQUAL 0)
    continue()
  endif()
  string(APPEND body "static const char *const sw_${code}[] = {")
  set(col 80)
  foreach(w IN LISTS words)
    string(LENGTH "${w}" wl)
    math(EXPR col "${col} + ${wl} + 4")
    if(col GREATER 76)
      string(APPEND body "\n   ")
      math(EXPR col "${wl} + 7")
    endif()
    string(APPEND body " \"${w}\",")
  endforeach()
  string(APPEND body "\n};\n\n")
  string(APPEND index "    {\"${code}\", sw_${code}, ${count}},\n")
  math(EXPR total "${total} + 1")
endforeach()

file(WRITE "${OUT}.tmp"
"/* Generated at build time by clean_stopwords.cmake from stopwords-iso
 * (https://github.com/stopwords-iso, MIT licence): do not edit.  Per
 * language, its single-word stopwords, lower-case, sorted in byte order. */
#include \"clean_lang.h\"

${body}const clean_stoplist clean_stoplists[] = {
${index}};

const size_t clean_n_stoplists = ${total};
")
file(RENAME "${OUT}.tmp" "${OUT}")
