// Validates every object of a rendered kustomization (multi-document YAML on standard input) against the schema of
// its kind: Kubernetes' own, KEDA's and the Prometheus operator's, as published in the kubernetes-models packages.
// Prints one line per object and exits 1 if any is invalid or of a kind no package knows.
"use strict";

const YAML = require("yaml");

/** The package that holds the models of an apiVersion. */
function models(apiVersion) {
  if (apiVersion.startsWith("keda.sh/")) {
    return require(`@kubernetes-models/keda/${apiVersion}`);
  }
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    return require(`@kubernetes-models/prometheus-operator/${apiVersion}`);
  }
  return require(`kubernetes-models/${apiVersion}`);
}

function check(object) {
  const { apiVersion, kind } = object;
  let Model;
  try {
    Model = models(apiVersion)[kind];
  } catch (e) {
    Model = undefined;
  }
  if (!Model) {
    return `no schema for ${apiVersion} ${kind}`;
  }
  try {
    new Model(object).validate();
    return null;
  } catch (e) {
    return e.message;
  }
}

const input = require("fs").readFileSync(0, "utf8");
let failed = 0;
for (const document of YAML.parseAllDocuments(input)) {
  if (document.errors.length > 0) {
    console.log(`INVALID YAML: ${document.errors[0].message}`);
    failed++;
    continue;
  }
  const object = document.toJSON();
  if (object === null) {
    continue;
  }
  const name = `${object.apiVersion} ${object.kind} ${object.metadata && object.metadata.name}`;
  const error = check(object);
  console.log(error === null ? `valid ${name}` : `INVALID ${name}: ${error}`);
  if (error !== null) {
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
