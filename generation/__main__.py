"""Command line:
  python -m generation draft|enrich|run KIND --seed S [--region R]   print the proposal (canonical JSON)
  python -m generation replay PROPOSAL.json                         print it again, byte for byte
  python -m generation bench [--jobs N] [--generations M]           throughput and the budget check
  python -m generation broker                                        broker status as JSON
`run` goes through every stage to a verdict (fresh gate state), without publishing."""

import argparse
import json
import sys
from pathlib import Path

from .models.proposal import Kind


def _proposal(args) -> bytes:
    from .drafting import draft, resolve_inputs
    from .enrich import enrich
    from .pipeline import Pipeline
    from .replay import proposal_bytes
    from .validate import GateState

    pipe = Pipeline()
    proposal = draft(args.kind, args.seed, resolve_inputs(args.kind, args.seed, args.region, pipe.index()))
    if args.command in ("enrich", "run"):
        proposal = enrich(proposal, pipe.provider)
    if args.command == "run":
        proposal, _ = pipe.judge(proposal, GateState())
    return proposal_bytes(proposal)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generation", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("draft", "enrich", "run"):
        p = sub.add_parser(name)
        p.add_argument("kind", choices=[k.value for k in Kind])
        p.add_argument("--seed", type=int, required=True)
        p.add_argument("--region")
    p = sub.add_parser("replay")
    p.add_argument("file", type=Path)
    p = sub.add_parser("bench")
    p.add_argument("--jobs", type=int, default=2000)
    p.add_argument("--generations", type=int, default=10_000)
    sub.add_parser("broker")
    args = parser.parse_args(argv)

    if args.command in ("draft", "enrich", "run"):
        sys.stdout.buffer.write(_proposal(args))
    elif args.command == "replay":
        from .replay import ReplayMismatch, replay

        stored = args.file.read_bytes()
        try:
            again = replay(stored)
        except ReplayMismatch as exc:
            print(f"replay: {exc}", file=sys.stderr)
            return 1
        sys.stdout.buffer.write(again)
        if again != stored:
            print(f"replay: output differs from {args.file}", file=sys.stderr)
            return 1
    elif args.command == "bench":
        from .bench import bench

        print(json.dumps(bench(args.jobs, args.generations), sort_keys=True))
    elif args.command == "broker":
        from .broker import broker_status

        print(json.dumps(broker_status()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
