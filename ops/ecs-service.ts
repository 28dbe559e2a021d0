import { DescribeServicesCommand, type ECSClient, type Service } from "@aws-sdk/client-ecs";
import { awsProblem, errorName, explainAwsError } from "./errors";

/**
 * One ECS service as the pipeline commands (`running-tag`, `status --wait`) read it. Undefined when
 * it does not exist: the cluster is not found (ClusterNotFoundException), the service is missing
 * (a failure of reason MISSING) or inactive (deleted, still listed). Any other failure throws (exit
 * 3): reading access denied or throttling as "not deployed" would make a deploy use the wrong tag.
 * Sources: Amazon ECS API Reference, DescribeServices (errors: ClusterNotFoundException; a `failures`
 * list in the answer); Amazon ECS Developer Guide, "API failure reasons" (DescribeServices, MISSING:
 * the specified service could not be found).
 */
export async function findService(ecs: ECSClient, cluster: string, serviceName: string): Promise<Service | undefined> {
  const action = `describe ECS service ${serviceName} in cluster ${cluster}`;
  let described;
  try {
    described = await ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
  } catch (error) {
    if (["ClusterNotFound", "ClusterNotFoundException"].includes(errorName(error))) return undefined;
    throw explainAwsError(error, action);
  }
  const failure = (described.failures ?? []).find((candidate) => candidate.reason !== "MISSING");
  if (failure) throw awsProblem(`Could not ${action}: ${failure.reason}${failure.detail ? ` (${failure.detail})` : ""}`);
  return (described.services ?? []).find((service) => service.status === "ACTIVE");
}
