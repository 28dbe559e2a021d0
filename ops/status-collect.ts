import { DescribeImagesCommand, ECRClient, type ImageDetail } from "@aws-sdk/client-ecr";
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, type Service, type Task } from "@aws-sdk/client-ecs";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
  type Listener,
  type LoadBalancer,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { REPOSITORY_NAMES } from "../config/model";
import { environmentNames } from "../constructs/names";
import { attempt, errorName, explainAwsError } from "./errors";

/** How many of each repository's newest images status fetches details for. */
export const NEWEST_IMAGES = 3;

/** Everything status reads from AWS, as the SDK returned it (tests feed recorded responses). */
export interface StatusInput {
  readonly environment: string;
  readonly region: string;
  readonly registryRegion: string;
  /** `https://<INFRA_DOMAIN>`, from the target. */
  readonly siteUrl?: string;
  readonly cluster: string;
  readonly serviceName: string;
  /** Undefined when the cluster or the service does not exist. */
  readonly service?: Service;
  readonly tasks: readonly Task[];
  readonly repositories: readonly RepositoryInput[];
  readonly loadBalancerName: string;
  /** Undefined when no load balancer has the name. */
  readonly loadBalancer?: { readonly balancer: LoadBalancer; readonly listeners: readonly Listener[] };
}

export interface RepositoryInput {
  readonly name: string;
  /** Undefined when the repository does not exist. */
  readonly images?: readonly ImageDetail[];
}

export interface StatusClients {
  readonly ecs: ECSClient;
  readonly ecr: ECRClient;
  readonly elb: ElasticLoadBalancingV2Client;
}

export interface StatusTarget {
  readonly environment: string;
  readonly region: string;
  readonly registryRegion: string;
  /** `https://<INFRA_DOMAIN>` when the environment has its own name (from its env file, no AWS call). */
  readonly siteUrl?: string;
}

/** Reads the service, its running tasks, both repositories and the load balancer, in parallel. */
export async function collectStatus(clients: StatusClients, target: StatusTarget): Promise<StatusInput> {
  const names = environmentNames(target.environment);
  const [serviceAndTasks, repositories, loadBalancer] = await Promise.all([
    readService(clients.ecs, names.cluster, names.service),
    Promise.all(Object.values(REPOSITORY_NAMES).map((repository) => readRepository(clients.ecr, repository))),
    readLoadBalancer(clients.elb, names.loadBalancer),
  ]);
  return { ...target, cluster: names.cluster, serviceName: names.service, ...serviceAndTasks, repositories, loadBalancerName: names.loadBalancer, loadBalancer };
}

async function readService(ecs: ECSClient, cluster: string, serviceName: string): Promise<{ service?: Service; tasks: Task[] }> {
  let service: Service | undefined;
  try {
    const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
    service = described.services?.[0];
  } catch (error) {
    if (["ClusterNotFound", "ClusterNotFoundException"].includes(errorName(error))) return { tasks: [] };
    throw explainAwsError(error, `describe ECS service ${serviceName} in cluster ${cluster}`);
  }
  if (!service) return { tasks: [] };
  const listed = await attempt(`list the tasks of ECS service ${serviceName}`, () =>
    ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: "RUNNING" })),
  );
  const taskArns = listed.taskArns ?? [];
  if (taskArns.length === 0) return { service, tasks: [] };
  // DescribeTasks takes at most 100 tasks; a service of this project runs far fewer.
  const described = await attempt(`describe the tasks of ECS service ${serviceName}`, () =>
    ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns.slice(0, 100) })),
  );
  // A task of the service is in its group; this also keeps out tasks started by hand.
  return { service, tasks: (described.tasks ?? []).filter((task) => task.group === `service:${serviceName}`) };
}

async function readRepository(ecr: ECRClient, name: string): Promise<RepositoryInput> {
  const images: ImageDetail[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const page = await ecr.send(new DescribeImagesCommand({ repositoryName: name, filter: { tagStatus: "TAGGED" }, nextToken, maxResults: 1000 }));
      images.push(...(page.imageDetails ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    if (["RepositoryNotFound", "RepositoryNotFoundException"].includes(errorName(error))) return { name };
    throw explainAwsError(error, `list the images of ECR repository ${name}`);
  }
  const newest = images.sort((a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0)).slice(0, NEWEST_IMAGES);
  return { name, images: newest };
}

async function readLoadBalancer(elb: ElasticLoadBalancingV2Client, name: string): Promise<StatusInput["loadBalancer"]> {
  let balancer: LoadBalancer | undefined;
  try {
    balancer = (await elb.send(new DescribeLoadBalancersCommand({ Names: [name] }))).LoadBalancers?.[0];
  } catch (error) {
    if (["LoadBalancerNotFound", "LoadBalancerNotFoundException"].includes(errorName(error))) return undefined;
    throw explainAwsError(error, `describe load balancer ${name}`);
  }
  if (!balancer) return undefined;
  const listeners = await attempt(`describe the listeners of load balancer ${name}`, () =>
    elb.send(new DescribeListenersCommand({ LoadBalancerArn: balancer!.LoadBalancerArn })),
  );
  return { balancer, listeners: listeners.Listeners ?? [] };
}
