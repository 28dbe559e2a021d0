import { stackInputProblems } from "../../policy/stack-input";
import { synthEnvironment } from "../helpers";

const minimal = () => ({
  terraform: { backend: { s3: { bucket: "b", key: "k" } }, required_providers: { aws: { source: "aws", version: "5.100.0" } } },
  provider: { aws: [{ region: "eu-west-3" }] },
  resource: { aws_ecs_cluster: { cluster: { name: "c" } } },
});

describe("stack input of a pull request's plan", () => {
  test("a stack this project synthesizes may be planned", () => {
    expect(stackInputProblems("staging", synthEnvironment("").json)).toEqual([]);
    expect(stackInputProblems("staging", minimal())).toEqual([]);
  });

  test.each([
    ["a module (downloads code)", (s: any) => (s.module = { m: { source: "git::https://example.com/x" } }), 'top-level block "module" is not allowed'],
    ["another provider", (s: any) => (s.terraform.required_providers.external = { source: "hashicorp/external" }), 'provider "external" (source "hashicorp/external") is not HashiCorp\'s AWS provider'],
    ["a look-alike AWS source", (s: any) => (s.terraform.required_providers.aws.source = "evil/aws"), 'provider "aws" (source "evil/aws")'],
    ["an external data source", (s: any) => (s.data = { external: { x: { program: ["sh", "-c", "env"] } } }), 'data type "external" (x) is not the AWS provider\'s'],
    ["a null resource", (s: any) => (s.resource.null_resource = { x: {} }), 'resource type "null_resource"'],
    ["a provisioner", (s: any) => (s.resource.aws_ecs_cluster.cluster.provisioner = [{ "local-exec": { command: "env" } }]), "resource.aws_ecs_cluster.cluster has a provisioner"],
    ["a local backend", (s: any) => (s.terraform.backend = { local: { path: "/tmp/x" } }), "the backend must be s3, found local"],
    ["a file function in an output", (s: any) => (s.output = { leak: { value: '${file("/proc/self/environ")}' } }), "calls a Terraform file function"],
    ["templatefile in a resource", (s: any) => (s.resource.aws_ecs_cluster.cluster.name = '${templatefile("/etc/passwd", {})}'), "calls a Terraform file function"],
    ["provider endpoints elsewhere", (s: any) => (s.provider.aws[0].endpoints = [{ sts: "https://example.com" }]), "provider setting aws.endpoints is not allowed"],
    ["a provider profile", (s: any) => (s.provider.aws[0].profile = "admin"), "provider setting aws.profile is not allowed"],
    ["a backend endpoint", (s: any) => (s.terraform.backend.s3.endpoint = "https://example.com"), "backend setting s3.endpoint is not allowed"],
    ["Terraform Cloud", (s: any) => (s.terraform.cloud = { organization: "x" }), "terraform.cloud is not allowed"],
  ])("refused: %s", (_name, change, message) => {
    const stack = minimal();
    change(stack);
    expect(stackInputProblems("staging", stack).join("\n")).toContain(message);
  });

  test("terraform_remote_state (cross-stack references) is allowed through S3 only", () => {
    const stack: any = minimal();
    stack.data = { terraform_remote_state: { registry: { backend: "s3", config: {} } } };
    expect(stackInputProblems("staging", stack)).toEqual([]);
    stack.data.terraform_remote_state.registry.backend = "local";
    expect(stackInputProblems("staging", stack).join("\n")).toContain('data type "terraform_remote_state" (registry)');
  });
});
