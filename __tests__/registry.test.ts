// The registry stack's and the cross-stack suites share one test file on purpose: every jest test
// file loads the provider bindings and pays a first synth again (~1.5 s), so grouping them keeps
// `npm test` fast.
import "./stacks/registry-stack.suite";
import "./stacks/ci-roles.suite";
import "./stacks/github-oidc.suite";
import "./stacks/deploy-coverage.suite";
import "./stacks/snapshots.suite";
import "./stacks/workflow-trust.suite";
