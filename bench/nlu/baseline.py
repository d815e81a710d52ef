#!/usr/bin/python3
"""scikit-learn baseline of `npm run bench:nlu`: TF-IDF + LinearSVC on the same splits as the TypeScript
models (written by run.ts as JSONL into a temporary folder described by manifest.json).

English: word uni+bigrams and char_wb 3-5-grams, sublinear TF, side by side (FeatureUnion).
Chinese: character 1-3-grams (jieba is not packaged by Debian, so no word segmentation here).
LinearSVC(C=1). Prints one JSON document: {set: {accuracy, macro_f1, train_seconds, throughput, ...}}.
"""
import json
import pickle
import sys
import time

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_union
from sklearn.svm import LinearSVC


def read(path):
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row["text"] for row in rows], [row["label"] for row in rows]


def vectorizer(language):
    if language == "zh":
        return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    return make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
    )


def throughput(vec, clf, texts, seconds=2.0):
    clf.predict(vec.transform(texts))
    messages = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    while time.perf_counter() - start < seconds:
        clf.predict(vec.transform(texts))
        messages += len(texts)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return {"wall": round(messages / wall), "cpu": round(messages / cpu), "messages": messages}


def run(entry, folder):
    x_train, y_train = read(f"{folder}/{entry['name']}-train.jsonl")
    x_test, y_test = read(f"{folder}/{entry['name']}-test.jsonl")
    start = time.perf_counter()
    vec = vectorizer(entry["language"])
    matrix = vec.fit_transform(x_train)
    clf = LinearSVC(C=1.0).fit(matrix, y_train)
    train_seconds = time.perf_counter() - start
    predicted = clf.predict(vec.transform(x_test))
    gold = np.array(y_test)
    result = {
        "accuracy": float(accuracy_score(gold, predicted)),
        "macro_f1": float(f1_score(gold, predicted, average="macro")),
        "train_seconds": train_seconds,
        "features": int(matrix.shape[1]),
        "model_bytes": len(pickle.dumps((vec, clf))),
        "throughput": throughput(vec, clf, list(dict.fromkeys(x_test))),
    }
    oos = entry.get("oos_label")
    if oos:
        in_scope = gold != oos
        result["oos"] = {
            "in_scope_accuracy": float((predicted[in_scope] == gold[in_scope]).mean()),
            "oos_recall": float((predicted[~in_scope] == oos).mean()),
        }
    return result


def main():
    folder = sys.argv[1]
    with open(f"{folder}/manifest.json", encoding="utf-8") as handle:
        manifest = json.load(handle)
    out = {"sklearn": sklearn.__version__, "python": sys.version.split()[0], "sets": {}}
    for entry in manifest:
        out["sets"][entry["name"]] = run(entry, folder)
        print(f"baseline {entry['name']} done", file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
