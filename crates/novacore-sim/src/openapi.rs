//! `GET /openapi.json`: a hand-built OpenAPI 3.0 document of every cloud route with schemas.
//! Routes whose shape is our own inference (history, tariffs, public type lists, `/_sim`) carry
//! `x-inferred: true` and say so in their description.

use axum::Json;
use serde_json::{json, Map, Value};

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn arr(item: Value) -> Value {
    json!({"type": "array", "items": item})
}

fn s() -> Value {
    json!({"type": "string"})
}

fn obj(required: &[&str], props: Value) -> Value {
    json!({"type": "object", "required": required, "properties": props})
}

/// One operation of the table below.
struct Op {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    tag: &'static str,
    auth: bool,
    /// (name, location, required, schema)
    params: Vec<(&'static str, &'static str, bool, Value)>,
    body: Option<Value>,
    ok: (&'static str, Value),
    inferred: bool,
}

fn op(
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    tag: &'static str,
    auth: bool,
) -> Op {
    Op {
        method,
        path,
        summary,
        tag,
        auth,
        params: Vec::new(),
        body: None,
        ok: ("200", json!({})),
        inferred: false,
    }
}

impl Op {
    fn path_param(mut self, name: &'static str) -> Self {
        self.params.push((name, "path", true, s()));
        self
    }
    fn query(mut self, name: &'static str, required: bool, schema: Value) -> Self {
        self.params.push((name, "query", required, schema));
        self
    }
    fn body(mut self, schema: Value) -> Self {
        self.body = Some(schema);
        self
    }
    fn ok(mut self, status: &'static str, schema: Value) -> Self {
        self.ok = (status, schema);
        self
    }
    fn inferred(mut self) -> Self {
        self.inferred = true;
        self
    }
}

fn ops() -> Vec<Op> {
    let id = |n: &'static str| n;
    vec![
        op("post", "/auth/challenge", "Request a login challenge", "auth", false).body(r("KeyBody")).ok("200", r("Challenge")),
        op("post", "/auth/verify", "Verify a signed challenge, get a session token", "auth", false).body(r("VerifyBody")).ok("200", r("Token")),
        op("post", "/identity/register", "Register a public key", "auth", false).body(r("KeyBody")).ok("201", r("Identity")),
        op("get", "/organizations", "Organizations of the caller", "organizations", true).ok("200", arr(r("Organization"))),
        op("post", "/organizations", "Create an organization (caller becomes owner)", "organizations", true).body(r("NameBody")).ok("201", r("Organization")),
        op("get", "/organizations/{org_id}", "Get an organization", "organizations", true).path_param(id("org_id")).ok("200", r("Organization")),
        op("put", "/organizations/{org_id}", "Rename (admin)", "organizations", true).path_param("org_id").body(r("NameBody")).ok("200", r("Organization")),
        op("delete", "/organizations/{org_id}", "Delete (owner)", "organizations", true).path_param("org_id").ok("204", Value::Null),
        op("get", "/organizations/{org_id}/members", "Members", "organizations", true).path_param("org_id").ok("200", arr(r("Member"))),
        op("post", "/organizations/{org_id}/members", "Add a member (admin; owner for owners)", "organizations", true).path_param("org_id").body(r("MemberBody")).ok("201", r("Member")),
        op("put", "/organizations/{org_id}/members/{identity_id}", "Change a role", "organizations", true).path_param("org_id").path_param("identity_id").body(r("RoleBody")).ok("200", r("Member")),
        op("delete", "/organizations/{org_id}/members/{identity_id}", "Remove a member", "organizations", true).path_param("org_id").path_param("identity_id").ok("204", Value::Null),
        op("get", "/sites", "Sites the caller can access", "sites", true).query("org_id", false, s()).ok("200", arr(r("Site"))),
        op("post", "/sites", "Create a site (admin)", "sites", true).body(r("SiteCreate")).ok("201", r("Site")),
        op("get", "/sites/{site_id}", "Site with its devices", "sites", true).path_param("site_id").ok("200", r("Site")),
        op("put", "/sites/{site_id}", "Update a site (admin)", "sites", true).path_param("site_id").body(r("SiteUpdate")).ok("200", r("Site")),
        op("delete", "/sites/{site_id}", "Delete a site (admin)", "sites", true).path_param("site_id").ok("204", Value::Null),
        op("get", "/sites/{site_id}/devices", "Devices of a site", "sites", true).path_param("site_id").ok("200", arr(r("Device"))),
        op("get", "/sites/{site_id}/telemetry", "INFERRED: aggregated history (avg/min/max/last per bucket)", "telemetry", true)
            .path_param("site_id").query("from", true, s()).query("to", true, s())
            .query("resolution", false, json!({"type": "string", "enum": ["1m", "5m", "15m", "1h", "1d"]})).query("der_id", false, s())
            .ok("200", arr(r("HistorySeries"))).inferred(),
        op("get", "/stream/sites/{site_id}", "Live readings as Server-Sent Events (id, retry, keep-alive, Last-Event-ID resume, gap event)", "telemetry", true)
            .path_param("site_id").ok("200", json!({"type": "string"})),
        op("post", "/gateways/claim", "Claim a gateway with the 4-part ES256 proof", "gateways", true).body(r("ClaimBody")).ok("201", r("Gateway")),
        op("get", "/gateways", "Gateways", "gateways", true).query("org_id", false, s()).ok("200", arr(r("Gateway"))),
        op("delete", "/gateways/{serial}", "Release a gateway (admin)", "gateways", true).path_param("serial").ok("204", Value::Null),
        op("post", "/devices/provision", "Provision a device and its DERs (201 new, 200 created:false)", "devices", true).body(r("ProvisionBody")).ok("201", r("Device")),
        op("get", "/devices/{device_id}", "Get a device", "devices", true).path_param("device_id").ok("200", r("Device")),
        op("put", "/devices/{device_id}", "Update a device (admin)", "devices", true).path_param("device_id").body(r("DeviceUpdate")).ok("200", r("Device")),
        op("delete", "/devices/{device_id}", "Delete a device (admin)", "devices", true).path_param("device_id").ok("204", Value::Null),
        op("post", "/devices/{device_id}/ders", "Add a DER (admin)", "devices", true).path_param("device_id").body(r("DerSpec")).ok("201", r("Der")),
        op("get", "/ders/{der_id}", "Get a DER", "devices", true).path_param("der_id").ok("200", r("Der")),
        op("get", "/public/cells", "Cells with sites", "public", false).ok("200", obj(&["cells"], json!({"cells": arr(json!({"type": "object"}))}))),
        op("get", "/public/cells/{h3_index}/stats", "Aggregates of a cell", "public", false).path_param("h3_index").ok("200", json!({"type": "object"})),
        op("get", "/public/device-types", "INFERRED: device types and allowed DER types", "public", false).ok("200", arr(json!({"type": "object"}))).inferred(),
        op("get", "/public/der-types", "INFERRED: DER types", "public", false).ok("200", arr(json!({"type": "object"}))).inferred(),
        op("get", "/services/price/electricity/{area}", "Day-ahead prices, 15-minute slots (404 before publication)", "prices", false)
            .path_param("area").query("currency", false, s()).query("date", false, json!({"type": "string", "format": "date"}))
            .query("days", false, json!({"type": "string", "pattern": "^[0-9]+$"})).ok("200", r("Prices")),
        op("get", "/services/price/tariffs/lookup", "INFERRED: tariffs at a position", "tariffs", false)
            .query("lat", true, json!({"type": "string"})).query("lon", true, json!({"type": "string"})).ok("200", json!({"type": "object"})).inferred(),
        op("get", "/services/price/tariffs/providers", "INFERRED: grid operators", "tariffs", false).ok("200", json!({"type": "object"})).inferred(),
        op("get", "/services/price/tariffs/{provider_id}", "INFERRED: tariffs of a provider", "tariffs", false).path_param("provider_id").ok("200", json!({"type": "object"})).inferred(),
        op("get", "/services/price/tariffs/tariff/{tariff_id}", "INFERRED: tariff detail", "tariffs", false).path_param("tariff_id").ok("200", json!({"type": "object"})).inferred(),
        op("get", "/services/price/tariffs/tariff/{tariff_id}/{kind}/{datetime}", "INFERRED: price component at a time", "tariffs", false)
            .path_param("tariff_id").path_param("kind").path_param("datetime").ok("200", json!({"type": "object"})).inferred(),
        op("get", "/openapi.json", "This document", "meta", false).ok("200", json!({"type": "object"})),
        op("get", "/_sim/clock", "Sandbox control: simulated clock", "control", false).ok("200", r("Clock")).inferred(),
        op("post", "/_sim/clock", "Sandbox control: advance or change the clock speed", "control", false)
            .body(obj(&[], json!({"advance_ms": {"type": "integer"}, "speed": {"type": "number", "minimum": 0}}))).ok("200", r("Clock")).inferred(),
        op("post", "/_sim/readings", "Sandbox control: push a reading into a site stream", "control", false)
            .body(obj(&["site_id", "reading"], json!({"site_id": s(), "reading": {"type": "object"}}))).ok("200", json!({"type": "object"})).inferred(),
        op("post", "/_sim/tick", "Sandbox control: sample every watched site now", "control", false).ok("200", r("Clock")).inferred(),
        op("post", "/_sim/sites/{site_id}/load", "Sandbox control: an extra household load from an instant on (0 W removes it)", "control", false)
            .path_param("site_id")
            .body(obj(&["w"], json!({"w": {"type": "number", "minimum": 0, "maximum": 1_000_000}, "from_ms": {"type": "integer"}})))
            .ok("200", json!({"type": "object"})).inferred(),
        op("post", "/_sim/sites/{site_id}/location", "Sandbox control: move a site, or take its location away (null)", "control", false)
            .path_param("site_id")
            .body(obj(&["location"], json!({"location": {"oneOf": [r("Location"), {"type": "null"}]}})))
            .ok("200", json!({"type": "object"})).inferred(),
        op("post", "/_sim/zaps/{serial}/offline", "Sandbox control: take a Zap offline", "control", false)
            .path_param("serial").body(obj(&["offline"], json!({"offline": {"type": "boolean"}}))).ok("200", json!({"type": "object"})).inferred(),
        op("post", "/_sim/cloud", "Sandbox control: cut the cloud off", "control", false)
            .body(obj(&["down"], json!({"down": {"type": "boolean"}}))).ok("200", json!({"type": "object"})).inferred(),
        op("get", "/_sim/faults", "Sandbox control: active faults", "control", false).ok("200", json!({"type": "object"})).inferred(),
        op("put", "/_sim/faults", "Sandbox control: set faults from a SPEC string", "control", false)
            .body(obj(&["spec"], json!({"spec": s()}))).ok("200", json!({"type": "object"})).inferred(),
        op("post", "/_sim/identities", "Sandbox control: a new person and a token (demo world included)", "control", false).ok("200", r("Token")).inferred(),
    ]
}

fn schemas() -> Value {
    let loc = obj(
        &["lat", "lon"],
        json!({"lat": {"type": "number", "minimum": -90, "maximum": 90}, "lon": {"type": "number", "minimum": -180, "maximum": 180}}),
    );
    let der_spec = obj(
        &["name", "type"],
        json!({"name": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}, "type": s()}),
    );
    let stats = obj(
        &["avg", "min", "max", "last"],
        json!({"avg": {"type": "number"}, "min": {"type": "number"}, "max": {"type": "number"}, "last": {"type": "number"}}),
    );
    json!({
        "Error": obj(&["error", "message"], json!({"error": {"type": "string", "enum": ["bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed", "conflict", "validation_error", "payload_too_large", "rate_limited", "internal_error", "unavailable"]}, "message": s(), "details": arr(obj(&["field", "message"], json!({"field": s(), "message": s()})))})),
        "Clock": obj(&["now_ms", "speed"], json!({"now_ms": {"type": "integer"}, "now": s(), "speed": {"type": "number"}})),
        "KeyBody": obj(&["public_key"], json!({"public_key": s()})),
        "VerifyBody": obj(&["public_key", "signature", "challenge"], json!({"public_key": s(), "signature": s(), "challenge": s()})),
        "Challenge": obj(&["challenge", "expires_at"], json!({"challenge": s(), "expires_at": s()})),
        "Token": obj(&["token", "identity_id"], json!({"token": s(), "identity_id": s()})),
        "Identity": obj(&["identity_id", "identity_type", "public_key"], json!({"identity_id": s(), "identity_type": s(), "public_key": s()})),
        "NameBody": obj(&["name"], json!({"name": {"type": "string", "minLength": 1, "maxLength": 200}})),
        "Organization": obj(&["id", "name", "owner_id", "created_at"], json!({"id": s(), "name": s(), "owner_id": s(), "created_at": s(), "role": s()})),
        "MemberBody": obj(&["identity_id", "role"], json!({"identity_id": s(), "role": {"type": "string", "enum": ["owner", "admin", "operator", "viewer"]}})),
        "RoleBody": obj(&["role"], json!({"role": {"type": "string", "enum": ["owner", "admin", "operator", "viewer"]}})),
        "Member": obj(&["identity_id", "role", "joined_at"], json!({"identity_id": s(), "role": s(), "joined_at": s()})),
        "Location": loc,
        "SiteCreate": obj(&["org_id", "name"], json!({"org_id": s(), "name": s(), "location": r("Location"), "timezone": s(), "price_area": s()})),
        "SiteUpdate": obj(&[], json!({"name": s(), "location": r("Location"), "timezone": s(), "price_area": s()})),
        "Site": obj(&["id", "org_id", "name", "created_at"], json!({"id": s(), "org_id": s(), "name": s(), "created_at": s(),
            "location": {"allOf": [r("Location")], "nullable": true}, "timezone": {"type": "string", "nullable": true}, "price_area": {"type": "string", "nullable": true}})),
        "ClaimBody": obj(&["org_id", "gateway_serial", "public_key", "message", "signature"], json!({"org_id": s(), "gateway_serial": s(), "public_key": s(), "message": s(), "signature": s()})),
        "Gateway": obj(&["serial", "org_id", "public_key"], json!({"serial": s(), "org_id": s(), "public_key": s(), "identity_id": s(), "claimed_at": s(), "last_seen": {"type": "string", "nullable": true}})),
        "DerSpec": der_spec,
        "ProvisionBody": obj(&["hardware_id", "device_type", "site_id"], json!({"gateway_serial": s(), "identity": s(), "hardware_id": s(), "device_type": s(), "site_id": s(), "name": s(), "manufacturer": s(), "model": s(), "ders": arr(r("DerSpec"))})),
        "DeviceUpdate": obj(&[], json!({"name": s(), "manufacturer": s(), "model": s()})),
        "Device": obj(&["id", "site_id", "hardware_id", "device_type", "state", "ders"], json!({"id": s(), "site_id": s(), "hardware_id": s(), "device_type": s(), "state": s(), "created": {"type": "boolean"}, "ders": arr(json!({"type": "object"}))})),
        "Der": obj(&["id", "device_id", "site_id", "name", "type"], json!({"id": s(), "device_id": s(), "site_id": s(), "name": s(), "type": s()})),
        "HistorySeries": obj(&["der_id", "type", "resolution", "points"], json!({"der_id": s(), "device_id": s(), "type": s(), "resolution": s(),
            "points": arr(obj(&["ts", "n", "fields"], json!({"ts": {"type": "integer"}, "n": {"type": "integer"}, "fields": {"type": "object", "additionalProperties": stats}})))})),
        "Prices": obj(&["area", "currency", "unit", "resolution", "timezone", "prices"], json!({"area": s(), "currency": s(), "unit": s(), "resolution": s(), "timezone": s(),
            "prices": arr(obj(&["datetime", "price"], json!({"datetime": s(), "price": {"type": "number"}})))})),
    })
}

/// The whole document.
pub fn spec() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for o in ops() {
        let params: Vec<Value> = o
            .params
            .iter()
            .map(|(n, loc, req, sch)| json!({"name": n, "in": loc, "required": req, "schema": sch}))
            .collect();
        let mut responses = Map::new();
        let ok = if o.ok.1.is_null() {
            json!({"description": "done"})
        } else if o.path.starts_with("/stream/") {
            json!({"description": "event stream", "content": {"text/event-stream": {"schema": o.ok.1}}})
        } else {
            json!({"description": "success", "content": {"application/json": {"schema": o.ok.1}}})
        };
        responses.insert(o.ok.0.into(), ok);
        if o.path == "/devices/provision" {
            responses.insert("200".into(), json!({"description": "already provisioned (created: false)", "content": {"application/json": {"schema": r("Device")}}}));
        }
        if o.path == "/identity/register" {
            responses.insert("200".into(), json!({"description": "already registered (the existing identity)", "content": {"application/json": {"schema": r("Identity")}}}));
        }
        if o.path == "/gateways/claim" {
            responses.insert("200".into(), json!({"description": "idempotent re-claim or transfer", "content": {"application/json": {"schema": r("Gateway")}}}));
        }
        responses.insert("default".into(), json!({"description": "error envelope", "content": {"application/json": {"schema": r("Error")}}}));
        let mut operation = json!({"summary": o.summary, "operationId": format!("{}_{}", o.method, o.path.replace(['/', '{', '}', '-'], "_")),
                                   "tags": [o.tag], "parameters": params, "responses": responses});
        if o.auth {
            operation["security"] = json!([{"bearer": []}]);
        }
        if o.inferred {
            operation["x-inferred"] = json!(true);
            operation["description"] = json!("Shape inferred by the Novadesk project; the Novacore reference documents no such endpoint.");
        }
        if let Some(b) = o.body {
            operation["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": b}}});
        }
        let entry = paths.entry(o.path.to_string()).or_insert_with(|| json!({}));
        entry[o.method] = operation;
    }
    json!({"openapi": "3.0.3",
           "info": {"title": "Novacore (novacore-sim)", "version": env!("CARGO_PKG_VERSION"),
                    "description": "Local emulator of the Sourceful Novacore API. Routes marked x-inferred are our own design where the reference has gaps."},
           "paths": paths,
           "components": {"schemas": schemas(), "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}}})
}

/// Serves the document.
pub async fn document() -> Json<Value> {
    Json(spec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ref_resolves_and_routes_are_listed() {
        let doc = spec();
        let text = doc.to_string();
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part.chars().take_while(|c| c.is_alphanumeric()).collect();
            assert!(
                doc["components"]["schemas"].get(&name).is_some(),
                "missing schema {name}"
            );
        }
        assert!(
            doc["paths"]["/sites/{site_id}/telemetry"]["get"]["x-inferred"]
                .as_bool()
                .unwrap()
        );
        assert_eq!(doc["paths"].as_object().unwrap().len(), 39);
    }
}
