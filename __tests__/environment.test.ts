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
// The environment-count suite builds the registry stack of 300 environments: it runs here, balancing the two test files across both cores.
import "./stacks/environment-count.suite";
