import { Construct } from "constructs";
import { dependable, type ITerraformDependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { TaskRoles } from "./task-roles";
import { ConstructPropsError } from "./errors";
import { unique } from "./iam-policy";
import type { LoadBalancedService, TargetRegistration } from "./load-balancer";
import { derivedName } from "./names";

/** A variable that ECS sets from a stored secret when a task starts (the value never reaches Terraform). */
export interface SecretVariable {
  /** Variable name inside the container. */
  readonly variable: string;
  /** What ECS reads: the full ARN of an SSM parameter, or of a Secrets Manager secret (with its JSON key, stage or version, if any). */
  readonly valueFrom: string;
  /** Where the secret is stored: the execution role reads each store with its own action. */
  readonly store: "ssm" | "secretsmanager";
  /** What the execution role is granted read on: the parameter, or the whole secret (ARN without JSON key, stage, version). */
  readonly iamResource: string;
}

export interface ContainerSpec {
  /** Full image reference, `<repository url>:<tag>`. */
  readonly image: string;
  /** ARN of the repository the image comes from (the execution role may pull from it only). */
  readonly repositoryArn: string;
  readonly port: number;
  /** Plain environment variables. */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables read from SSM Parameter Store / Secrets Manager at task start. */
  readonly secrets: readonly SecretVariable[];
  /** CMD-SHELL health check; none when undefined (the image's tools are unknown). */
  readonly healthCheckCommand?: string;
}

export interface FargateServiceProps {
  /** Cluster, service, family and role name, e.g. `city-guided-staging`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly cpu: number;
  readonly memory: number;
  readonly cpuArchitecture: "X86_64" | "ARM64";
  /** Containers by name; every one is essential. */
  readonly containers: Readonly<Record<string, ContainerSpec>>;
  readonly logRetentionDays: number;
  /** Writable paths (each an ephemeral volume); the root filesystem is read-only. */
  readonly writablePaths: readonly string[];
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly assignPublicIp: boolean;
  /** Tasks at creation; later owned by autoscaling (Terraform ignores the live value). */
  readonly initialDesiredCount: number;
  /** Seconds ECS ignores failing load balancer health checks after a task starts. @default 60 once targets are registered */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Managed policy capping the task and execution roles. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * A Fargate service and everything it owns: cluster (Container Insights on), task definition,
 * one log group per container, execution and task roles, and the tasks' security group (egress
 * only; whoever fronts the service adds ingress from its own security group, e.g.
 * `loadBalancer.attach(service)`).
 */
export class FargateService extends Construct implements LoadBalancedService {
  /** The ECS service's name. */
  public readonly name: string;
  /** The cluster's name. */
  public readonly clusterName: string;
  /** The ECS service's ARN (in provider 5.x its id; 6.x adds an `arn` attribute). */
  public readonly arn: string;
  /** Log group name of each container. */
  public readonly logGroupNames: Readonly<Record<string, string>>;
  /** Security group of the tasks. */
  public readonly securityGroupId: string;
  private readonly cluster: EcsCluster;
  private readonly service: EcsService;
  private readonly taskDefinition: EcsTaskDefinition;
  private readonly securityGroup: SecurityGroup;
  private readonly logGroups: Readonly<Record<string, CloudwatchLogGroup>>;
  private readonly roles: TaskRoles;
  private readonly registrations: TargetRegistration[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: FargateServiceProps,
  ) {
    super(scope, id);
    this.cluster = new EcsCluster(this, "cluster", {
      name: props.name,
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
    this.logGroups = Object.fromEntries(
      Object.keys(props.containers).map((name) => [
        name,
        new CloudwatchLogGroup(this, `${name}-logs`, { name: derivedName.logGroup(props.name, name), retentionInDays: props.logRetentionDays }),
      ]),
    );
    this.roles = this.createRoles(props);
    this.taskDefinition = this.createTaskDefinition(props);
    this.securityGroup = this.createSecurityGroup(props);
    this.service = this.createService(props);
    this.name = this.service.name;
    this.clusterName = this.cluster.name;
    this.arn = this.service.id;
    this.logGroupNames = Object.fromEntries(Object.entries(this.logGroups).map(([container, group]) => [container, group.name]));
    this.securityGroupId = this.securityGroup.id;
  }

  /**
   * Registers containers with target groups (the service's `load_balancer` blocks, which give it a
   * health check grace period), and creates the service after `createdAfter`. Called by whoever
   * fronts the service, e.g. `LoadBalancer.attach`.
   */
  registerTargets(targets: readonly TargetRegistration[], createdAfter: readonly ITerraformDependable[]): void {
    for (const target of targets) {
      const container = this.props.containers[target.containerName];
      if (container?.port !== target.containerPort) {
        throw new ConstructPropsError(
          `Invalid target of ${this.props.name}: no container "${target.containerName}" listens on port ${target.containerPort} (containers: ${Object.entries(this.props.containers).map(([name, spec]) => `${name}:${spec.port}`).join(", ")})`,
        );
      }
    }
    this.registrations.push(...targets);
    this.service.putLoadBalancer(this.registrations.map((target) => ({ ...target })));
    this.service.healthCheckGracePeriodSeconds = this.props.healthCheckGracePeriodSeconds ?? 60;
    this.service.dependsOn = [...(this.service.dependsOn ?? []), ...createdAfter.map((resource) => dependable(resource))];
  }

  private createRoles(props: FargateServiceProps): TaskRoles {
    const secretArns = (store: SecretVariable["store"]) =>
      unique(
        Object.values(props.containers)
          .flatMap((container) => container.secrets)
          .filter((secret) => secret.store === store)
          .map((secret) => secret.iamResource),
      ).sort();
    return new TaskRoles(this, "roles", {
      namePrefix: props.name,
      accountId: props.accountId,
      partition: props.partition,
      region: props.region,
      repositoryArns: unique(Object.values(props.containers).map((container) => container.repositoryArn)),
      logGroupArns: Object.values(this.logGroups).map((group) => group.arn),
      ssmParameterArns: secretArns("ssm"),
      secretsManagerArns: secretArns("secretsmanager"),
      permissionsBoundaryArn: props.permissionsBoundaryArn,
    });
  }

  private createTaskDefinition(props: FargateServiceProps): EcsTaskDefinition {
    const volumes = props.writablePaths.map((path) => ({ name: volumeName(path), path }));
    const clash = volumes.find((volume, index) => volumes.findIndex((other) => other.name === volume.name) !== index);
    if (clash) throw new ConstructPropsError(`Invalid writable paths of ${props.name}: they map to the same volume name "${clash.name}": ${props.writablePaths.join(", ")}`);
    return new EcsTaskDefinition(this, "task-definition", {
      family: props.name,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(props.cpu),
      memory: String(props.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: props.cpuArchitecture },
      executionRoleArn: this.roles.executionRole.arn,
      taskRoleArn: this.roles.taskRole.arn,
      volume: volumes.map((volume) => ({ name: volume.name })),
      containerDefinitions: JSON.stringify(
        Object.keys(props.containers).map((name) => containerDefinition(name, props.containers[name], props, this.logGroups[name].name, volumes)),
      ),
      // Each image tag replaces the task definition; without this Terraform deregisters the old revision,
      // which turns INACTIVE, and ECS refuses to update a service to an INACTIVE revision: a manual
      // rollback (`aws ecs update-service --task-definition <family>:<previous>`) would have nothing to
      // go back to. AWS: "Deregistering an Amazon ECS task definition revision" (ECS Developer Guide) and
      // DeregisterTaskDefinition (ECS API Reference). The plan still shows the replacement's delete.
      skipDestroy: true,
    });
  }

  private createSecurityGroup(props: FargateServiceProps): SecurityGroup {
    const group = new SecurityGroup(this, "tasks-security-group", {
      // A prefix, not a name: create-before-destroy needs the replacement to coexist with the old group.
      namePrefix: derivedName.securityGroupPrefix(props.name, "tasks"),
      description: `Tasks of ${props.name}: reachable only from their load balancer`,
      vpcId: props.vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    // Rules are resources of their own (as the load balancer's ingress rules are), never inline.
    // No apostrophe: EC2 accepts only a-z A-Z 0-9, spaces and ._-:/()#,@[]+=&;{}!$* here (policy/aws-rules.ts).
    const outbound = "Outbound: ECR, CloudWatch Logs, SSM/Secrets Manager and the dependencies of the application";
    new VpcSecurityGroupEgressRule(this, "tasks-egress-ipv4", { securityGroupId: group.id, description: `${outbound} (IPv4)`, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
    new VpcSecurityGroupEgressRule(this, "tasks-egress-ipv6", { securityGroupId: group.id, description: `${outbound} (IPv6)`, ipProtocol: "-1", cidrIpv6: "::/0" });
    return group;
  }

  private createService(props: FargateServiceProps): EcsService {
    return new EcsService(this, "service", {
      name: props.name,
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      desiredCount: props.initialDesiredCount,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      networkConfiguration: {
        subnets: props.subnetIds,
        securityGroups: [this.securityGroup.id],
        assignPublicIp: props.assignPublicIp,
      },
      // Autoscaling owns the task count once the service exists.
      lifecycle: { ignoreChanges: ["desired_count"] },
    });
  }
}

function containerDefinition(
  name: string,
  container: ContainerSpec,
  props: FargateServiceProps,
  logGroupName: string,
  volumes: readonly { name: string; path: string }[],
): Record<string, unknown> {
  return {
    name,
    image: container.image,
    essential: true,
    privileged: false,
    readonlyRootFilesystem: true,
    portMappings: [{ name, containerPort: container.port, hostPort: container.port, protocol: "tcp" }],
    environment: Object.keys(container.environment)
      .sort()
      .map((variable) => ({ name: variable, value: container.environment[variable] })),
    secrets: [...container.secrets]
      .sort((a, b) => a.variable.localeCompare(b.variable))
      .map((secret) => ({ name: secret.variable, valueFrom: secret.valueFrom })),
    mountPoints: volumes.map((volume) => ({ sourceVolume: volume.name, containerPath: volume.path, readOnly: false })),
    linuxParameters: { initProcessEnabled: true },
    logConfiguration: {
      logDriver: "awslogs",
      options: { "awslogs-group": logGroupName, "awslogs-region": props.region, "awslogs-stream-prefix": name },
    },
    ...(container.healthCheckCommand
      ? { healthCheck: { command: ["CMD-SHELL", container.healthCheckCommand], interval: 30, timeout: 5, retries: 3, startPeriod: 60 } }
      : {}),
  };
}

/** `/tmp` -> `tmp`, `/var/cache/nginx` -> `var-cache-nginx` (volume names: letters, digits, - and _). */
export function volumeName(path: string): string {
  return path.replace(/^\/+|\/+$/g, "").replace(/[^A-Za-z0-9_-]+/g, "-");
}
