/* dedup_report.c - --dedup-report FILE: each dropped document as one JSON
 * object per line (JSON Lines), written with jansson:
 *
 *   {"document": "corpus/007.txt", "duplicate_of": "corpus/002.txt",
 *    "similarity": 0.87, "exact": false}
 *
 * Documents are named as the clean report names them: by their source
 * path, else their title.  "similarity" is the estimated Jaccard
 * similarity of their 5-word shingles, to two decimals; "exact" says the
 * two hold the same words in the same order. */
#include "dedup.h"

#include <jansson.h>

void dedup_report_line(quire_env *env, dedup_state *st, const char *doc,
                       const char *of, double similarity, int exact) {
  if (!jsonl_report_on(&st->report))
    return;
  json_t *o = json_object();
  if (o && (json_object_set_new(o, "document", json_string(doc)) ||
            json_object_set_new(o, "duplicate_of", json_string(of)) ||
            json_object_set_new(o, "similarity",
                                json_real(jsonl_two_places(similarity))) ||
            json_object_set_new(o, "exact", json_boolean(exact)))) {
    json_decref(o);
    o = NULL;
  }
  jsonl_report_put(env, &st->report, o, 1);
}
