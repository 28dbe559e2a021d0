import type { ConfigProblem } from "./errors";
import type { InfraKey, InfraValues } from "./keys";

/** Locates a rule on the key a user most likely has to change (see checkCombinations). */
export type Locate = (key: InfraKey, rule: string) => ConfigProblem;

/** Cross-key rules of the load balancer, which AWS would otherwise refuse only at apply. */
export function checkTrafficCombinations(values: InfraValues, located: Locate): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const certificate = values.INFRA_CERTIFICATE_ARN;
  const certificateRegion = certificate?.split(":")[3];
  if (certificateRegion !== undefined && certificateRegion !== values.INFRA_AWS_REGION) {
    problems.push(
      located(
        "INFRA_CERTIFICATE_ARN",
        `is in ${certificateRegion} but the load balancer is in INFRA_AWS_REGION=${values.INFRA_AWS_REGION}: an ALB only uses ACM certificates of its own region`,
      ),
    );
  }
  const albSubnets = values.INFRA_ALB_SUBNET_IDS;
  if (albSubnets.length === 1) {
    problems.push(located("INFRA_ALB_SUBNET_IDS", "needs at least two subnets in different Availability Zones (an Application Load Balancer spans two at least)"));
  }
  if (albSubnets.length === 0 && values.INFRA_SUBNET_IDS.length > 0) {
    problems.push(
      located(
        "INFRA_ALB_SUBNET_IDS",
        "must be set when INFRA_SUBNET_IDS is: the default VPC's subnets would put the load balancer in another VPC than the tasks",
      ),
    );
  }
  return problems;
}
