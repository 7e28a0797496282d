//! Generated code for small specs, one feature each (review with `cargo insta review`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use common::generate;

fn check(name: &str, spec: &str) {
    let g = generate(spec);
    syn::parse_file(&g.module).expect("generated code parses");
    insta::assert_snapshot!(name, g.module);
}

#[test]
fn auth_and_or() {
    check(
        "auth_and_or",
        r##"
openapi: 3.0.3
info: {title: Auth, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      description: (key AND bearer) OR basic
      security:
        - key: []
          bearer: []
        - basic: []
      responses:
        "200": {description: ok}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
"##,
    );
}

#[test]
fn scopes() {
    check(
        "scopes",
        r##"
openapi: 3.0.3
info: {title: Scoped API, version: "1"}
security:
  - oauth: [items:read]
paths:
  /items:
    get:
      operationId: listItems
      responses:
        "200": {description: ok}
    post:
      operationId: createItem
      security:
        - oauth: [items:read, items:write]
        - oidc: [admin]
      responses:
        "201": {description: created}
  /feed:
    get:
      operationId: feed
      description: anonymous access is one alternative
      security:
        - {}
        - oauth: [items:read]
      responses:
        "200": {description: ok}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes: {items:read: read, items:write: write}
    oidc:
      type: openIdConnect
      openIdConnectUrl: https://auth.example.com/.well-known/openid-configuration
"##,
    );
}

#[test]
fn public_operations() {
    check(
        "public_operations",
        r##"
openapi: 3.0.3
info: {title: Public, version: "1"}
security:
  - key: []
paths:
  /status:
    get:
      operationId: status
      security: []
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {up: {type: boolean}}}
  /docs/{slug}:
    get:
      operationId: getDoc
      x-specguard-public: true
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string, maxLength: 64}}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /private:
    get:
      operationId: private
      responses:
        "204": {description: ok}
components:
  securitySchemes:
    key: {type: apiKey, in: cookie, name: session}
"##,
    );
}

#[test]
fn read_write_split() {
    check(
        "read_write_split",
        r##"
openapi: 3.0.3
info: {title: Users, version: "1"}
security: [{bearer: []}]
paths:
  /users:
    post:
      operationId: createUser
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/User"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/User"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    User:
      type: object
      required: [id, email, password]
      properties:
        id: {type: string, format: uuid, readOnly: true}
        email: {type: string, format: email, maxLength: 254}
        password: {type: string, minLength: 12, maxLength: 128, writeOnly: true}
        nickname: {type: string, nullable: true, maxLength: 40}
        settings: {$ref: "#/components/schemas/Settings"}
        metadata:
          type: object
          description: free-form
    Settings:
      type: object
      additionalProperties: false
      properties:
        theme: {type: string, enum: [light, dark]}
"##,
    );
}

#[test]
fn one_of_discriminator() {
    check(
        "one_of_discriminator",
        r##"
openapi: 3.1.0
info: {title: Pets, version: "1"}
security: [{key: []}]
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Answer"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Pet:
      oneOf:
        - $ref: "#/components/schemas/Cat"
        - $ref: "#/components/schemas/Dog"
      discriminator:
        propertyName: petType
        mapping:
          cat: "#/components/schemas/Cat"
          dog: "#/components/schemas/Dog"
    Cat:
      type: object
      required: [petType, lives]
      properties:
        petType: {type: string}
        lives: {type: integer, minimum: 0, maximum: 9}
    Dog:
      type: object
      required: [bark]
      properties:
        bark: {type: boolean}
    Answer:
      oneOf:
        - type: string
          maxLength: 10
        - type: integer
        - {$ref: "#/components/schemas/Cat"}
    MaybeName:
      type: [string, "null"]
"##,
    );
}

#[test]
fn recursive_schema() {
    check(
        "recursive_schema",
        r##"
openapi: 3.0.3
info: {title: Trees, version: "1"}
security: [{key: []}]
paths:
  /trees:
    post:
      operationId: plant
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Node"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Chain"}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: key}
  schemas:
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 10}
        children:
          type: array
          maxItems: 5
          items: {$ref: "#/components/schemas/Node"}
        parent: {$ref: "#/components/schemas/Node"}
    Chain:
      type: object
      required: [next]
      properties:
        next:
          allOf: [{$ref: "#/components/schemas/Link"}]
    Link:
      type: object
      properties:
        chain: {$ref: "#/components/schemas/Chain"}
"##,
    );
}

#[test]
fn odd_enums() {
    check(
        "odd_enums",
        r##"
openapi: 3.0.3
info: {title: Enums, version: "1"}
security: [{key: []}]
paths:
  /e:
    get:
      operationId: get
      parameters:
        - name: mode
          in: query
          required: true
          schema: {$ref: "#/components/schemas/Odd"}
        - name: level
          in: query
          schema: {type: integer, enum: [1, 2, 3]}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Odd"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Odd:
      type: string
      nullable: true
      enum: ["", "1", "-1", "a b", "Self", "self", "type", "ünï", "snake_case", "A", "a", "a-b", "A_B", null]
"##,
    );
}

#[test]
fn validation_bounds() {
    check(
        "validation_bounds",
        r##"
openapi: 3.1.0
info: {title: Bounds, version: "1"}
security: [{key: []}]
paths:
  /orders/{orderId}/lines:
    put:
      operationId: putLines
      x-specguard-max-body-bytes: 4096
      parameters:
        - {name: orderId, in: path, required: true, schema: {type: string, format: uuid}}
        - {name: X-Request-Id, in: header, schema: {type: string, pattern: '^\w{8,32}$'}}
        - {name: session, in: cookie, schema: {type: string, minLength: 16}}
        - {name: ids, in: query, explode: false, schema: {type: array, maxItems: 3, items: {type: integer, minimum: 1}}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [lines]
              properties:
                lines:
                  type: array
                  minItems: 1
                  maxItems: 100
                  uniqueItems: true
                  items:
                    type: object
                    required: [sku, quantity]
                    properties:
                      sku: {type: string, pattern: '^[A-Z]{3}-\d+$'}
                      quantity: {type: integer, format: int32, exclusiveMinimum: 0, maximum: 1000}
                      price: {type: number, minimum: 0, exclusiveMaximum: 1e6, multipleOf: 0.01}
                      discount: {type: integer, minimum: 0, maximum: 100, multipleOf: 5}
                notes:
                  type: object
                  maxProperties: 5
                  additionalProperties: {type: string, maxLength: 200}
                placedAt: {type: string, format: date-time}
      responses:
        "204": {description: ok}
        4XX:
          description: client error
          content:
            application/problem+json:
              schema: {type: object, properties: {title: {type: string}}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
"##,
    );
}

#[test]
fn response_headers() {
    check(
        "response_headers",
        r##"
openapi: 3.0.3
info: {title: Headers, version: "1"}
security: [{key: []}]
paths:
  /items:
    post:
      operationId: createItem
      responses:
        "201":
          description: created
          headers:
            Location:
              description: Where the new item is.
              required: true
              schema: {type: string, maxLength: 200}
            X-RateLimit-Remaining:
              schema: {type: integer, format: int32, minimum: 0}
            X-Tags:
              schema: {type: array, maxItems: 3, items: {type: string}}
            X-Mode:
              schema: {type: string, enum: [fast, slow]}
            X-Ids:
              schema: {type: array, items: {type: integer, format: int64}}
            X-Modes:
              schema: {type: array, items: {type: string, enum: [a, b]}}
            Content-Type:
              schema: {type: string}
          content:
            application/json:
              schema:
                type: object
                required: [name]
                properties:
                  name: {type: string, maxLength: 10}
        "204":
          description: nothing to create
          headers:
            X-Reason: {schema: {type: string}}
        4XX:
          description: refused
          headers:
            Retry-After: {required: true, schema: {type: integer, format: int64}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
"##,
    );
}

#[test]
fn and_requirements_with_anonymous_alternative() {
    check(
        "and_requirements_with_anonymous_alternative",
        r##"
openapi: 3.0.3
info: {title: Shared, version: "1"}
paths:
  /docs/{docId}:
    get:
      operationId: getDoc
      description: anonymous, or (token AND device key)
      security:
        - {}
        - token: [docs:read]
          device: []
      parameters:
        - {name: docId, in: path, required: true, schema: {type: string, maxLength: 8}}
      responses:
        "204": {description: ok}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
    device: {type: apiKey, in: cookie, name: device}
"##,
    );
}

/// GitHub's API under clippy: enums whose variants (named after the contract's schemas and
/// values) share a prefix or suffix allow `clippy::enum_variant_names`.
#[test]
fn variant_names_sharing_a_prefix() {
    check(
        "variant_names_sharing_a_prefix",
        r##"
openapi: 3.0.3
info: {title: Rules, version: "1"}
paths:
  /rules:
    get:
      operationId: listRules
      security: []
      parameters:
        - name: sort
          in: query
          schema: {type: string, enum: [created_at, updated_at, pushed_at]}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/RepositoryRule"}
components:
  schemas:
    RepositoryRule:
      oneOf:
        - {$ref: "#/components/schemas/RepositoryRuleCreation"}
        - {$ref: "#/components/schemas/RepositoryRuleUpdate"}
        - {$ref: "#/components/schemas/RepositoryRuleDeletion"}
    RepositoryRuleCreation: {type: object, properties: {creation: {type: boolean}}}
    RepositoryRuleUpdate: {type: object, properties: {update: {type: boolean}}}
    RepositoryRuleDeletion: {type: object, properties: {deletion: {type: boolean}}}
"##,
    );
}
