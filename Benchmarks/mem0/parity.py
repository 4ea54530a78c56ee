#!/usr/bin/env python3
"""mem0's own LLM reranker and RerankBench side by side, against one loopback server.

    parity.py check  --rerank-eval BIN [--queries N]    # parity: messages, scores, order, top_k
    parity.py speed  --rerank-eval BIN [--latency-ms 50] # wall time and peak memory, side by side
    parity.py clarity --rerank-eval BIN                  # what each reports when calls fail

The server speaks OpenAI's chat completions API. Its reply for a (query, document) pair is a
deterministic function of the pair, so order and concurrency cannot change it, and covers the
replies that trip parsers up (8/10, .5, "Score: 0.9 out of 1.0", empty, no number, **0.75**,
reasoning with several numbers, null content) and HTTP 500 for some pairs. Every request is
logged with the client that sent it (by User-Agent), so the exact messages can be compared.

mem0 runs in a child process (this script with `mem0-run`) from a private environment that
`run.sh` creates; RerankBench is the `rerank-eval` binary. Any difference fails and is printed.
"""
import argparse
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

# Replies chosen per pair: (kind, reply text or None for null content). "HTTP500" fails the call.
REPLIES = [
    ("decimal", "{score:.2f}"),
    ("decimal", "{score:.2f}"),
    ("fraction", "8/10"),
    ("leading-dot", ".5"),
    ("labelled", "Score: 0.9 out of 1.0"),
    ("empty", ""),
    ("no-number", "I cannot tell from this memory."),
    ("bold", "**0.75**"),
    ("reasoning", "The rubric gives 0.8-0.9 for highly relevant. This memory only shares a word, so 0.2."),
    ("integer", "7"),
    ("percent", "Relevance: 85%"),
    ("negative", "-0.2"),
    ("null", None),
    ("http500", "HTTP500"),
]


def pair_hash(query, document):
    return int(hashlib.sha256((query + "\x00" + document).encode("utf-8")).hexdigest(), 16)


def reply_for(query, document):
    h = pair_hash(query, document)
    kind, text = REPLIES[h % len(REPLIES)]
    if text is not None and "{score" in text:
        text = text.format(score=(h // 97 % 100) / 100)
    return kind, text


def split_user_message(messages):
    """(query, document) of a system-mode user message, or of a filled template."""
    user = [m for m in messages if m.get("role") == "user"]
    if not user:
        return None
    content = user[-1]["content"]
    m = re.match(r"^Query: (.*)\n\nDocument: (.*)$", content, re.S)
    if m:
        return m.group(1), m.group(2)
    m = re.search(r'Query: "(.*)"\nDocument: "(.*)"', content, re.S)
    if m:
        return m.group(1), m.group(2)
    return None


class Server:
    """The loopback OpenAI-compatible server; `log` holds every request."""

    def __init__(self, latency=0.0, clean=False):
        self.latency = latency
        self.clean = clean
        self.log = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                # Headers and body go out in two writes; without this, Nagle's algorithm and the
                # client's delayed ACK add about 40 ms to every reply, for both clients alike.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                agent = self.headers.get("User-Agent", "")
                client = "rerankbench" if "RerankBench" in agent else "mem0"
                messages = body.get("messages", [])
                pair = split_user_message(messages)
                with outer.lock:
                    outer.log.append({"client": client, "body": body, "pair": pair})
                if outer.latency:
                    time.sleep(outer.latency)
                kind, text = reply_for(*pair) if pair else ("decimal", "0.5")
                if outer.clean:
                    text = "%.2f" % ((pair_hash(*pair) // 97 % 100) / 100 if pair else 0.5)
                if text == "HTTP500":
                    payload = json.dumps({"error": {"message": "injected failure", "type": "server_error"}}).encode()
                    self.send_response(500)
                else:
                    payload = json.dumps({
                        "id": "chatcmpl-parity", "object": "chat.completion", "created": 0, "model": body.get("model", ""),
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 50, "completion_tokens": 3, "total_tokens": 53},
                    }).encode()
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/v1"

    def take(self):
        with self.lock:
            out, self.log = self.log, []
        return out

    def stop(self):
        self.httpd.shutdown()


def load_dataset(path, limit=None):
    """Queries with candidates in baseline order, as RerankBench defines it."""
    queries = []
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            s = line.strip()
            if not s or s.startswith("//"):
                continue
            q = json.loads(s)
            cands = q["candidates"]
            if all("score" in c for c in cands):
                cands = sorted(cands, key=lambda c: -c["score"])  # Python's sort is stable
            text = lambda c: c.get("memory", c.get("text", c.get("content")))
            queries.append({"id": str(q["query_id"]), "query": q["query"],
                            "docs": [{"id": str(c["id"]), "memory": text(c), "score": c.get("score")} for c in cands]})
            if limit and len(queries) >= limit:
                break
    return queries


def write_dataset(queries, path):
    with open(path, "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps({"query_id": q["id"], "query": q["query"],
                                "candidates": [{"id": d["id"], "memory": d["memory"], "score": d["score"]} for d in q["docs"]]}) + "\n")


def mem0_config(url, model, top_k=None, prompt=None):
    config = {"provider": "openai", "model": model, "api_key": "sk-parity-dummy-key",
              "llm": {"provider": "openai", "config": {"model": model, "openai_base_url": url, "api_key": "sk-parity-dummy-key"}}}
    if top_k:
        config["top_k"] = top_k
    if prompt:
        config["scoring_prompt"] = prompt
    return {"reranker": {"provider": "llm_reranker", "config": config}}


def run_child(cmd, env=None):
    """Runs a command, returns (stdout, stderr, wall seconds, peak RSS in MiB)."""
    start = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    chunks = {"out": b"", "err": b""}

    def drain(stream, key):
        chunks[key] = stream.read()
    readers = [threading.Thread(target=drain, args=(p.stdout, "out")), threading.Thread(target=drain, args=(p.stderr, "err"))]
    for t in readers:
        t.start()
    # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would be the largest of all so far).
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.time() - start
    for t in readers:
        t.join()
    code = os.waitstatus_to_exitcode(status)
    out, err = chunks["out"], chunks["err"]
    if code not in (0, 1):
        sys.exit(f"command failed ({code}): {' '.join(cmd)}\n{err.decode()}")
    return out.decode(), err.decode(), wall, usage.ru_maxrss / 1024


def mem0_python():
    venv = os.environ.get("RERANKBENCH_MEM0_VENV", os.path.expanduser("~/.cache/rerankbench/mem0-venv"))
    return os.path.join(venv, "bin", "python")


def run_mem0(config_path, dataset_path):
    env = dict(os.environ)
    env["MEM0_TELEMETRY"] = "False"
    env.pop("OPENROUTER_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    out, err, wall, rss = run_child([mem0_python(), os.path.abspath(__file__), "mem0-run", config_path, dataset_path], env)
    return json.loads(out), err, wall, rss


def run_rerankbench(binary, config_path, dataset_path, extra=(), store=None):
    """One run in its own fresh run store (so no reply comes from an earlier run's cache),
    or in `store` when given (a re-run from the cache)."""
    cmd = [binary, "run", "--config", config_path, "--dataset", dataset_path, "--format", "json", "--quiet",
           "--mode", "system", "--parser", "mem0", "--failure-policy", "mem0", "--ties", "stable",
           "--max-retries", "2", "--timeout", "30", *extra]
    env = dict(os.environ)
    env["RERANKBENCH_STORE"] = store or os.path.join(tempfile.mkdtemp(prefix="rerankbench-parity-store-"), "store.sqlite")
    out, err, wall, rss = run_child(cmd, env)
    return json.loads(out), err, wall, rss


def mem0_run(config_path, dataset_path):
    """Child process: mem0's reranker over the dataset, results as JSON on stdout."""
    import logging
    from mem0.utils.factory import RerankerFactory

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    with open(config_path) as f:
        config = json.load(f)["reranker"]["config"]
    reranker = RerankerFactory.create("llm_reranker", config)
    results = {}
    for q in load_dataset(dataset_path):
        ranked = reranker.rerank(q["query"], [dict(d) for d in q["docs"]], top_k=config.get("top_k"))
        results[q["id"]] = [{"id": d["id"], "rerank_score": d["rerank_score"], "score": d.get("score")} for d in ranked]
    json.dump({"results": results, "system_prompt": reranker._system_prompt}, sys.stdout)


def load_exported_config(path):
    """A config written by `rerank-eval export --format mem0-json|mem0-python`, read the way a
    user would: JSON with its `${VAR}` key reference expanded, or the Python file executed."""
    if path.endswith(".py"):
        namespace = {}
        with open(path) as f:
            exec(f.read(), namespace)
        return namespace["MEM0_CONFIG"]
    with open(path) as f:
        config = json.load(f)

    def expand(value):
        if isinstance(value, dict):
            return {k: expand(v) for k, v in value.items()}
        return os.path.expandvars(value) if isinstance(value, str) else value
    return expand(config)


def mem0_export_run(config_path, dataset_path):
    """Child process: mem0's reranker built from an exported config, over the dataset."""
    from mem0.utils.factory import RerankerFactory

    config = load_exported_config(config_path)["reranker"]["config"]
    reranker = RerankerFactory.create("llm_reranker", config)
    results = {}
    for q in load_dataset(dataset_path):
        ranked = reranker.rerank(q["query"], [dict(d) for d in q["docs"]], top_k=config.get("top_k"))
        results[q["id"]] = [{"id": d["id"], "rerank_score": d["rerank_score"]} for d in ranked]
    c = reranker.config
    json.dump({"results": results, "system_prompt": reranker._system_prompt,
               "settings": {"model": c.model, "temperature": c.temperature, "max_tokens": c.max_tokens, "top_k": config.get("top_k")}},
              sys.stdout)


def distinct_messages(log, client):
    """pair -> set of message lists (JSON) a client sent for it."""
    out = {}
    for entry in log:
        if entry["client"] != client or not entry["pair"]:
            continue
        out.setdefault(tuple(entry["pair"]), set()).add(json.dumps(entry["body"]["messages"], sort_keys=True))
    return out


def request_params(log, client):
    """Every parameter besides messages, as sent (one distinct set expected)."""
    return {json.dumps({k: v for k, v in e["body"].items() if k != "messages"}, sort_keys=True) for e in log if e["client"] == client}


def check(args):
    problems = []
    queries = load_dataset(args.dataset, args.queries)
    tmp = tempfile.mkdtemp(prefix="rerankbench-parity-")
    data_path = os.path.join(tmp, "data.jsonl")
    write_dataset(queries, data_path)
    server = Server()
    pairs = sum(len(q["docs"]) for q in queries)
    kinds = {}
    for q in queries:
        for d in q["docs"]:
            kinds[reply_for(q["query"], d["memory"])[0]] = kinds.get(reply_for(q["query"], d["memory"])[0], 0) + 1
    print(f"parity: {len(queries)} queries, {pairs} pairs; replies served: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))

    custom = "You rate memories for a personal assistant. {braces stay literal} Reply with one number."
    cases = [("gpt-4o-mini", None, None), ("gpt-5-mini", 5, None), ("o3-mini", 3, custom)]
    for model, top_k, prompt in cases:
        label = f"system mode, model {model}, top_k {top_k or 'all'}, {'custom' if prompt else 'default'} prompt"
        config_path = os.path.join(tmp, f"config-{model}.json")
        with open(config_path, "w") as f:
            json.dump(mem0_config(server.url, model, top_k, prompt), f)
        server.take()
        mem0, _, _, _ = run_mem0(config_path, data_path)
        mem0_log = server.take()
        ours, _, _, _ = run_rerankbench(args.rerank_eval, config_path, data_path)
        our_log = server.take()
        case_problems = []
        # 1. The exact messages, pair by pair.
        a, b = distinct_messages(mem0_log, "mem0"), distinct_messages(our_log, "rerankbench")
        if set(a) != set(b):
            case_problems.append(f"pairs asked differ: mem0 {len(a)}, RerankBench {len(b)}")
        for pair in sorted(set(a) & set(b)):
            if a[pair] != b[pair]:
                case_problems.append(f"messages differ for {pair[1][:40]!r}:\n  mem0: {sorted(a[pair])}\n  ours: {sorted(b[pair])}")
        # 2. The other request parameters.
        pa, pb = request_params(mem0_log, "mem0"), request_params(our_log, "rerankbench")
        if pa != pb:
            case_problems.append(f"request parameters differ:\n  mem0: {sorted(pa)}\n  ours: {sorted(pb)}")
        # 3. Scores, order and the top_k cut.
        ours_by_q = {q["query_id"]: q for q in ours["queries"]}
        for qid, ranked in mem0["results"].items():
            mine = ours_by_q[qid]
            kept = sorted([c for c in mine["candidates"] if c.get("new_rank")], key=lambda c: c["new_rank"])
            if [d["id"] for d in ranked] != [c["id"] for c in kept]:
                case_problems.append(f"{qid}: order differs\n  mem0: {[d['id'] for d in ranked]}\n  ours: {[c['id'] for c in kept]}")
            score_of = {c["id"]: c.get("score") for c in mine["candidates"]}
            for d in ranked:
                if score_of.get(d["id"]) != d["rerank_score"]:
                    case_problems.append(f"{qid}/{d['id']}: score mem0 {d['rerank_score']} vs ours {score_of.get(d['id'])}")
        if prompt and mem0["system_prompt"] != prompt:
            case_problems.append("mem0 did not use the custom prompt as the system message")
        status = "identical" if not case_problems else f"{len(case_problems)} differences"
        print(f"  {label}: {len(mem0_log)} mem0 requests, {len(our_log)} RerankBench requests: {status}")
        problems += [f"[{label}] {p}" for p in case_problems]

    # The exported config, loaded by mem0 itself: a run made here is exported as mem0 JSON and
    # as a Python dict; mem0's RerankerFactory builds its reranker from each, and that reranker
    # must send the same requests and give the same scores, order and cut as our run did.
    model, top_k, prompt = cases[-1]
    config_path = os.path.join(tmp, f"config-{model}.json")
    store = os.path.join(tmp, "export-store.sqlite")
    server.take()
    ours, _, _, _ = run_rerankbench(args.rerank_eval, config_path, data_path, store=store)
    our_log = server.take()
    for fmt, ext in (("mem0-json", "json"), ("mem0-python", "py")):
        exported_path = os.path.join(tmp, f"exported.{ext}")
        env = dict(os.environ, RERANKBENCH_STORE=store)
        subprocess.run([args.rerank_eval, "export", "last", "--format", fmt, "--output", exported_path], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        child_env = dict(os.environ, MEM0_TELEMETRY="False", OPENAI_API_KEY="sk-parity-dummy-key")
        child_env.pop("OPENROUTER_API_KEY", None)
        child_env.pop("OPENAI_BASE_URL", None)
        out, err, _, _ = run_child([mem0_python(), os.path.abspath(__file__), "mem0-export-run", exported_path, data_path], child_env)
        try:
            exported = json.loads(out)
        except json.JSONDecodeError:
            sys.exit(f"mem0 could not use the exported {fmt} config:\n{err}")
        mem0_log = server.take()
        export_problems = []
        a, b = distinct_messages(mem0_log, "mem0"), distinct_messages(our_log, "rerankbench")
        if a != b:
            export_problems.append(f"messages differ on {sum(1 for k in set(a) | set(b) if a.get(k) != b.get(k))} pairs")
        pa, pb = request_params(mem0_log, "mem0"), request_params(our_log, "rerankbench")
        if pa != pb:
            export_problems.append(f"request parameters differ:\n  mem0: {sorted(pa)}\n  ours: {sorted(pb)}")
        if exported["system_prompt"] != prompt:
            export_problems.append("mem0's system prompt is not the run's prompt")
        want = {"model": model, "temperature": 0.0, "max_tokens": 100, "top_k": top_k}
        if exported["settings"] != want:
            export_problems.append(f"settings differ: mem0 read {exported['settings']}, the run had {want}")
        ours_by_q = {q["query_id"]: q for q in ours["queries"]}
        for qid, ranked in exported["results"].items():
            kept = sorted([c for c in ours_by_q[qid]["candidates"] if c.get("new_rank")], key=lambda c: c["new_rank"])
            if [(d["id"], d["rerank_score"]) for d in ranked] != [(c["id"], c.get("score")) for c in kept]:
                export_problems.append(f"{qid}: order or scores differ")
        print(f"  exported {fmt} config loaded by mem0 ({model}, top_k {top_k}, custom prompt): {len(mem0_log)} requests: "
              + ("identical" if not export_problems else f"{len(export_problems)} differences"))
        problems += [f"[export {fmt}] {p}" for p in export_problems]

    # Template mode: mem0 <= 2.0.1 filled the documented template with str.format and sent it as
    # one user message. mem0 2.2 no longer has that path, so our requests are checked against the
    # documented behaviour computed here with Python's own str.format.
    template_file = os.path.join(REPO, "Prompts", "mem0-documented-template.txt")
    body = open(template_file, encoding="utf-8").read().split("---\n", 2)[2].rstrip("\n")
    config_path = os.path.join(tmp, "config-template.json")
    with open(config_path, "w") as f:
        json.dump(mem0_config(server.url, "gpt-4o-mini"), f)
    server.take()
    ours, _, _, _ = run_rerankbench(args.rerank_eval, config_path, data_path, ["--prompt", template_file, "--mode", "template"])
    log = server.take()
    sent = {}
    for e in log:
        if e["pair"]:
            sent.setdefault(tuple(e["pair"]), set()).add(json.dumps(e["body"]["messages"], sort_keys=True))
    template_problems = []
    sys.path.insert(0, os.path.join(os.path.dirname(mem0_python()), "..", "lib"))
    extract = mem0_extract_score()
    ours_by_q = {q["query_id"]: q for q in ours["queries"]}
    for q in queries:
        for d in q["docs"]:
            expected = json.dumps([{"role": "user", "content": body.format(query=q["query"], document=d["memory"])}], sort_keys=True)
            got = sent.get((q["query"], d["memory"]), set())
            if got != {expected}:
                template_problems.append(f"template messages differ for {d['memory'][:40]!r}: {sorted(got)[:1]}")
            _, text = reply_for(q["query"], d["memory"])
            want = 0.5 if text in (None, "HTTP500") else extract(text)
            have = next(c.get("score") for c in ours_by_q[q["id"]]["candidates"] if c["id"] == d["id"])
            if have != want:
                template_problems.append(f"{q['id']}/{d['id']}: template-mode score {have}, mem0's extraction gives {want}")
    print(f"  template mode (documented behaviour, one user message via str.format): {len(log)} requests: "
          + ("identical" if not template_problems else f"{len(template_problems)} differences"))
    problems += template_problems
    server.stop()
    if problems:
        print("\nDIFFERENCES:")
        for p in problems[:50]:
            print("  " + p)
        sys.exit(1)
    print("parity: mem0 and RerankBench agree on every message, score, order and cut")


def mem0_extract_score():
    """mem0's own score extraction, called in the mem0 environment."""
    code = "import sys, json\nfrom mem0.reranker.llm_reranker import LLMReranker\n" \
           "texts = json.load(sys.stdin)\nprint(json.dumps([LLMReranker._extract_score(None, t) for t in texts]))"
    cache = {}

    def extract(text):
        if text not in cache:
            p = subprocess.run([mem0_python(), "-c", code], input=json.dumps([text]), capture_output=True, text=True,
                               env={**os.environ, "MEM0_TELEMETRY": "False"})
            cache[text] = json.loads(p.stdout)[0]
        return cache[text]
    return extract


def synthetic(n_queries, n_docs):
    return [{"id": f"s{q}", "query": f"what does the user think about topic {q}?",
             "docs": [{"id": f"d{d}", "memory": f"memory {d} about topic {(q * 7 + d) % 13} and more words", "score": round(1 - d / 100, 3)}
                      for d in range(n_docs)]} for q in range(n_queries)]


def speed(args):
    tmp = tempfile.mkdtemp(prefix="rerankbench-speed-")
    data_path = os.path.join(tmp, "data.jsonl")
    queries = synthetic(args.speed_queries, args.speed_docs)
    write_dataset(queries, data_path)
    pairs = args.speed_queries * args.speed_docs
    server = Server(latency=args.latency_ms / 1000, clean=True)
    config_path = os.path.join(tmp, "config.json")
    with open(config_path, "w") as f:
        json.dump(mem0_config(server.url, "gpt-4o-mini"), f)
    rows = []
    _, _, wall, rss = run_mem0(config_path, data_path)
    rows.append(("mem0 2.2 LLMReranker (sequential)", wall, rss))
    for c in args.concurrency:
        _, _, wall, rss = run_rerankbench(args.rerank_eval, config_path, data_path, ["--concurrency", str(c)])
        rows.append((f"RerankBench, concurrency {c}", wall, rss))
    # The same run twice in one store: the second is answered from the response cache.
    store = os.path.join(tmp, "cache-store.sqlite")
    top = str(max(args.concurrency))
    run_rerankbench(args.rerank_eval, config_path, data_path, ["--concurrency", top], store=store)
    server.take()
    _, _, wall, rss = run_rerankbench(args.rerank_eval, config_path, data_path, ["--concurrency", top], store=store)
    calls = len(server.take())
    rows.append((f"RerankBench, re-run from the cache ({calls} calls made)", wall, rss))
    server.stop()
    ideal = pairs * args.latency_ms / 1000
    print(f"speed: {args.speed_queries} queries x {args.speed_docs} candidates = {pairs} calls, {args.latency_ms} ms per reply "
          f"(ideal sequential {ideal:.1f} s); every reply a plain decimal score")
    print("| run | wall s | speed-up vs mem0 | peak RSS MiB |")
    print("|---|---:|---:|---:|")
    base = rows[0][1]
    for name, wall, rss in rows:
        print(f"| {name} | {wall:.2f} | {base / wall:.1f}x | {rss:.0f} |")


def clarity(args):
    tmp = tempfile.mkdtemp(prefix="rerankbench-clarity-")
    data_path = os.path.join(tmp, "data.jsonl")
    queries = load_dataset(args.dataset, 6)
    write_dataset(queries, data_path)
    server = Server()
    config_path = os.path.join(tmp, "config.json")
    with open(config_path, "w") as f:
        json.dump(mem0_config(server.url, "gpt-4o-mini"), f)
    mem0, mem0_err, _, _ = run_mem0(config_path, data_path)
    ours, _, _, _ = run_rerankbench(args.rerank_eval, config_path, data_path)
    server.stop()
    neutral = sum(1 for r in mem0["results"].values() for d in r if d["rerank_score"] == 0.5)
    warnings = [l for l in mem0_err.splitlines() if "neutral score" in l]
    c = ours["counts"]
    print(f"clarity: {sum(len(q['docs']) for q in queries)} pairs, of which some get HTTP 500, empty, null or number-less replies")
    print(f"  mem0: {neutral} documents scored 0.5 in its result, indistinguishable from real 0.5 scores; "
          f"{len(warnings)} log warnings, e.g. {warnings[0][:110] if warnings else 'none'}")
    print(f"  RerankBench: failed {c['failed']} (after {c['retried']} retried), fallback {c['fallback']}, empty {c['empty']}, "
          f"clamped {c['clamped']}, truncated {c['truncated']}; each candidate carries outcome/failed/error fields")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "mem0-run":
        return mem0_run(sys.argv[2], sys.argv[3])
    if len(sys.argv) > 1 and sys.argv[1] == "mem0-export-run":
        return mem0_export_run(sys.argv[2], sys.argv[3])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["check", "speed", "clarity"])
    ap.add_argument("--rerank-eval", required=True, help="path to the rerank-eval binary")
    ap.add_argument("--dataset", default=os.path.join(REPO, "Datasets", "personal-memories.jsonl"))
    ap.add_argument("--queries", type=int, default=8, help="queries to use for the parity check")
    ap.add_argument("--latency-ms", type=float, default=50)
    ap.add_argument("--speed-queries", type=int, default=50)
    ap.add_argument("--speed-docs", type=int, default=20)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    args = ap.parse_args()
    {"check": check, "speed": speed, "clarity": clarity}[args.command](args)


if __name__ == "__main__":
    main()
