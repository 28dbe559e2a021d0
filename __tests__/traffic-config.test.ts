import { configErrorOf, configFrom } from "./config-helpers";

const CERTIFICATE = "arn:aws:acm:eu-west-3:123456789012:certificate/12345678-1234-1234-1234-123456789012";

describe("traffic configuration", () => {
  test("defaults: default-VPC subnets, HTTP only, / and /api/health, 15 idle minutes, no e-mail, no deletion protection", () => {
    const [environment] = configFrom({ staging: "" }).environments;
    expect(environment.loadBalancer).toEqual({ subnetIds: [], certificateArn: undefined, deletionProtection: false });
    expect(environment.containers.web.loadBalancerHealthPath).toBe("/");
    expect(environment.containers.api.loadBalancerHealthPath).toBe("/api/health");
    expect(environment.idleMinutes).toBe(15);
    expect(environment.alertEmail).toBeUndefined();
  });

  test("values are typed", () => {
    const [environment] = configFrom({
      staging: `INFRA_CERTIFICATE_ARN=${CERTIFICATE}\nINFRA_ALB_SUBNET_IDS=subnet-0123abcd, subnet-0123abce\nINFRA_IDLE_MINUTES=1440\nINFRA_ALB_DELETION_PROTECTION=true\n`,
    }).environments;
    expect(environment.loadBalancer).toEqual({ subnetIds: ["subnet-0123abcd", "subnet-0123abce"], certificateArn: CERTIFICATE, deletionProtection: true });
    expect(environment.idleMinutes).toBe(1440);
  });

  test.each([
    ["INFRA_IDLE_MINUTES=0", 'INFRA_IDLE_MINUTES="0": must be 5-1440 (at least the wake alarm\'s 5 minutes'],
    ["INFRA_IDLE_MINUTES=4", 'INFRA_IDLE_MINUTES="4": must be 5-1440'],
    ["INFRA_IDLE_MINUTES=1441", 'INFRA_IDLE_MINUTES="1441": must be 5-1440'],
    ["INFRA_CERTIFICATE_ARN=arn:aws:iam::123456789012:server-certificate/site", "INFRA_CERTIFICATE_ARN=\"arn:aws:iam::123456789012:server-certificate/site\": must be an ACM certificate ARN in INFRA_AWS_REGION"],
    ["INFRA_WEB_HEALTH_PATH=health", 'INFRA_WEB_HEALTH_PATH="health": must be an absolute URL path without spaces, query or fragment'],
    ["INFRA_API_HEALTH_PATH=/api/health?full=1", 'INFRA_API_HEALTH_PATH="/api/health?full=1": must be an absolute URL path without spaces, query or fragment'],
    ["INFRA_ALB_SUBNET_IDS=subnet-0123abcd,vpc-0123abcd", 'INFRA_ALB_SUBNET_IDS="subnet-0123abcd,vpc-0123abcd": must be comma-separated distinct subnet IDs'],
    ["INFRA_ALB_DELETION_PROTECTION=yes", 'INFRA_ALB_DELETION_PROTECTION="yes": must be true or false'],
  ])("%s is refused with its rule", (line, message) => {
    expect(configErrorOf({ staging: `${line}\n` })).toContain(`env/.env.staging:1: ${message}`);
  });

  test("a certificate of another region is refused", () => {
    const other = CERTIFICATE.replace("eu-west-3", "us-east-1");
    expect(configErrorOf({ staging: `INFRA_CERTIFICATE_ARN=${other}\n` })).toContain(
      `env/.env.staging:1: INFRA_CERTIFICATE_ARN="${other}": is in us-east-1 but the load balancer is in INFRA_AWS_REGION=eu-west-3: an ALB only uses ACM certificates of its own region`,
    );
  });

  test("a single load balancer subnet is refused", () => {
    expect(configErrorOf({ staging: "INFRA_ALB_SUBNET_IDS=subnet-0123abcd\n" })).toContain(
      'env/.env.staging:1: INFRA_ALB_SUBNET_IDS="subnet-0123abcd": needs at least two subnets in different Availability Zones',
    );
  });

  test("custom task subnets require custom load balancer subnets", () => {
    expect(configErrorOf({ staging: "INFRA_SUBNET_IDS=subnet-0123abcd\n" })).toContain(
      'env/.env.staging: INFRA_ALB_SUBNET_IDS="": must be set when INFRA_SUBNET_IDS is: the default VPC\'s subnets would put the load balancer in another VPC than the tasks (this is the default)',
    );
  });
});
