#!/usr/bin/env python3
"""A stock Python gRPC client (grpcio, grpcio-reflection from PyPI), as a CAD vendor would
write one: no generated code. It learns the API through server reflection v1alpha (what
grpcio-reflection speaks), builds CadEvent messages from the descriptors it got, and streams
N events on ONE CadIngest.SubmitStream as fast as grpc-core sends them (one small message per
DATA frame), counting the receipts.

Prints one JSON line: {"sent": N, "receipts": R, "accepted": A, "duplicates": D,
"rejected": X, "first_rejection": {...} | null, "error": "..." | null}. Exit 0 when the call
ended OK, 1 when it did not (e.g. the connection was cut off with GOAWAY).

    python3 stock_cad_client.py --addr 127.0.0.1:50051 --token TOKEN --events 20000
"""

import argparse
import json
import sys

import grpc
from google.protobuf import descriptor_pool, message_factory
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--source", default="py-stock")
    ap.add_argument("--out-of-range", action="store_true",
                    help="send one CallCreated with cad_priority 4000000000 by unary Submit")
    args = ap.parse_args()

    channel = grpc.insecure_channel(args.addr)
    reflection = ProtoReflectionDescriptorDatabase(channel)
    services = set(reflection.get_services())
    pool = descriptor_pool.DescriptorPool(reflection)
    cad_event = message_factory.GetMessageClass(
        pool.FindMessageTypeByName("crisis.dispatch.v1.CadEvent"))
    receipt = message_factory.GetMessageClass(
        pool.FindMessageTypeByName("crisis.dispatch.v1.SubmitReceipt"))
    metadata = (("authorization", "Bearer " + args.token),)

    if args.out_of_range:
        submit = channel.unary_unary(
            "/crisis.dispatch.v1.CadIngest/Submit",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=receipt.FromString,
        )
        event = cad_event(source=args.source, event_id="big-1", call_number="BIG-1")
        event.created.nature_code = "EDP"
        event.created.cad_priority = 4000000000
        try:
            submit(event, metadata=metadata, timeout=30)
            print(json.dumps({"services": sorted(services), "code": "OK"}))
        except grpc.RpcError as e:
            print(json.dumps({"services": sorted(services), "code": e.code().name,
                              "details": e.details()}))
        return 0

    def events():
        for i in range(args.events):
            e = cad_event(source=args.source, event_id=f"ev-{i}", call_number=f"C-{i // 4}")
            if i % 4 == 0:
                e.created.nature_code = "EDP"
                e.created.nature_text = "PERSON IN CRISIS"
                e.created.narrative.append("SUBJ YELLING, NO WPNS SEEN")
            else:
                e.narrative.lines.append(f"line {i}")
            yield e

    stream = channel.stream_stream(
        "/crisis.dispatch.v1.CadIngest/SubmitStream",
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=receipt.FromString,
    )
    out = {"sent": args.events, "receipts": 0, "accepted": 0, "duplicates": 0,
           "rejected": 0, "first_rejection": None, "error": None,
           "services": sorted(services)}
    try:
        for r in stream(events(), metadata=metadata, timeout=600):
            out["receipts"] += 1
            if r.HasField("rejection"):
                out["rejected"] += 1
                if out["first_rejection"] is None:
                    out["first_rejection"] = {"event_id": r.event_id,
                                              "field": r.rejection.field,
                                              "message": r.rejection.message}
            elif r.duplicate:
                out["duplicates"] += 1
            else:
                out["accepted"] += 1
    except grpc.RpcError as e:
        out["error"] = f"{e.code().name}: {e.details()}"
    print(json.dumps(out))
    return 0 if out["error"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
