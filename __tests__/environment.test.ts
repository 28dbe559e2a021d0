// The environment stack's suites share one test file on purpose: every jest test file loads the
// provider bindings and pays a first synth again (~1.5 s), so grouping them keeps `npm test` fast.
import "./stacks/environment-stack.suite";
import "./stacks/traffic.suite";
import "./stacks/site-domain.suite";
import "./stacks/scaling.suite";
import "./stacks/alerting.suite";
import "./stacks/synth.suite";
import "./stacks/construct-errors.suite";
import "./stacks/aspects.suite";
import "./stacks/aws-rules.suite";
import "./stacks/images.suite";
import "./stacks/stack-input.suite";
import "./stacks/dashboard.suite";
import "./stacks/entry-proxy.suite";
import "./scale-from-zero-replay.suite";
