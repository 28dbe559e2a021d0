import { Testing, TerraformStack } from "cdktf";
import { ConstructPropsError } from "../../constructs/errors";
import { LoadBalancer } from "../../constructs/load-balancer";
import { ServiceAutoscaling } from "../../constructs/service-autoscaling";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { configFrom, synthEnvironment } from "../helpers";

// Constructs check their own props at construction time (a caller other than the config loader
// gets the same clear message), with ConstructPropsError: printed without a stack trace.
describe("construct errors", () => {
  const stack = () => new TerraformStack(Testing.app(), "test");
  const scaling = { clusterName: "c", serviceName: "city-guided-qa", cpuTarget: 60 };

  test("autoscaling refuses min above max", () => {
    expect(() => new ServiceAutoscaling(stack(), "s", { ...scaling, minCapacity: 3, maxCapacity: 2 })).toThrow(
      new ConstructPropsError("Invalid autoscaling range for city-guided-qa: min 3 > max 2"),
    );
  });

  test("autoscaling refuses min 0 without a way to wake up", () => {
    expect(() => new ServiceAutoscaling(stack(), "s", { ...scaling, minCapacity: 0, maxCapacity: 2 })).toThrow(/min 0 needs scaleFromZero/);
  });

  test.each([0, 4, 1441, 1.5])("scale from zero refuses %s idle minutes", (idleMinutes) => {
    const props = { ...scaling, minCapacity: 0, maxCapacity: 2, scaleFromZero: { loadBalancerArnSuffix: "app/x/1", idleMinutes } };
    expect(() => new ServiceAutoscaling(stack(), "s", props)).toThrow(`Invalid idle minutes ${idleMinutes} for city-guided-qa`);
  });

  test("a load balancer name over AWS's 32 characters is refused", () => {
    const targets = { web: { port: 80, healthCheckPath: "/" } };
    expect(() => new LoadBalancer(stack(), "lb", { name: "city-guided-a-very-long-environment", vpcId: "vpc-1", subnetIds: ["subnet-1"], targets })).toThrow(
      /Invalid load balancer name "city-guided-a-very-long-environment/,
    );
  });

  // An environment stack, whose service is attached to its load balancer; built once, as a refused call changes nothing.
  let built: EnvironmentStack | undefined;
  const environment = () => (built ??= new EnvironmentStack(Testing.app(), configFrom({ staging: "" }).environments[0]));

  test("a load balancer fronts one service: a second attach is refused", () => {
    const stack = environment();
    expect(() => stack.loadBalancer.attach(stack.service)).toThrow(new ConstructPropsError("Invalid attach to load balancer staging/load-balancer: it already fronts a service"));
  });

  test.each([
    ["a container the service does not run", "worker", 4000],
    ["a port its container does not listen on", "api", 4001],
  ])("a service refuses a target registration for %s", (_case, containerName, containerPort) => {
    const { service } = environment();
    expect(() => service.registerTargets([{ targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-3:123456789012:targetgroup/x/1", containerName, containerPort }], [])).toThrow(
      `Invalid target of city-guided-staging: no container "${containerName}" listens on port ${containerPort} (containers: api:4000, web:3080)`,
    );
  });

  test("writable paths that map to one volume name are refused", () => {
    expect(() => synthEnvironment("INFRA_WRITABLE_PATHS=/var/a-b,/var/a/b")).toThrow(
      'Invalid writable paths of city-guided-staging: they map to the same volume name "var-a-b"',
    );
  });
});
