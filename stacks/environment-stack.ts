import { Construct } from "constructs";
import { TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsEcrRepository } from "@cdktf/provider-aws/lib/data-aws-ecr-repository";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { CONTAINER_NAMES, PROJECT, REPOSITORY_NAMES, type ContainerName, type EnvironmentConfig } from "../config/model";
import { workloadBoundaryArn } from "../constructs/deploy-role";
import { FargateService, type ContainerSpec } from "../constructs/fargate-service";
import { ServiceAutoscaling } from "../constructs/service-autoscaling";
import { addStackFoundation } from "./common";

/** The OCI distribution spec's tag rule, checked by Terraform before any plan. */
export const IMAGE_TAG_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$";

/**
 * One environment: its Fargate service running the `api` and `web` images at `var.image_tag`,
 * with logs, roles and autoscaling. The repositories are looked up by name (read-only), so
 * planning an environment never needs the registry stack's state.
 */
export interface EnvironmentStackOptions {
  /**
   * Give the task and execution roles the workload boundary that the registry stack creates with
   * the environment's deploy role (which may only create roles carrying it). @default false
   */
  readonly workloadBoundary?: boolean;
}

export class EnvironmentStack extends TerraformStack {
  public readonly service: FargateService;
  public readonly imageTag: TerraformVariable;

  constructor(scope: Construct, config: EnvironmentConfig, options: EnvironmentStackOptions = {}) {
    super(scope, config.name);
    const name = `${PROJECT}-${config.name}`;
    addStackFoundation(this, { stackName: config.name, region: config.region, stateBucket: config.stateBucket });

    this.imageTag = new TerraformVariable(this, "image_tag", {
      type: "string",
      description: "Tag of the api and web images to run (CI passes the git SHA it pushed, as TF_VAR_image_tag)",
      nullable: false,
      validation: [
        {
          condition: `\${can(regex("${IMAGE_TAG_PATTERN}", var.image_tag))}`,
          errorMessage: "image_tag must be a valid image tag: letters, digits, _ . -, at most 128 characters, not starting with . or -.",
        },
      ],
    });

    const account = new DataAwsCallerIdentity(this, "account");
    const partition = new DataAwsPartition(this, "partition");
    const network = this.network(config);
    const containers = Object.fromEntries(
      CONTAINER_NAMES.map((container) => [container, this.containerSpec(container, config)]),
    ) as Record<ContainerName, ContainerSpec>;

    this.service = new FargateService(this, "service", {
      name,
      region: config.region,
      accountId: account.accountId,
      partition: partition.partition,
      cpu: config.cpu,
      memory: config.memory,
      cpuArchitecture: config.cpuArchitecture,
      containers,
      logRetentionDays: config.logRetentionDays,
      writablePaths: config.writablePaths,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds,
      assignPublicIp: config.assignPublicIp,
      initialDesiredCount: config.minCapacity,
      permissionsBoundaryArn: options.workloadBoundary ? workloadBoundaryArn(partition.partition, account.accountId, config.name) : undefined,
    });
    new ServiceAutoscaling(this, "autoscaling", {
      clusterName: this.service.cluster.name,
      serviceName: this.service.service.name,
      minCapacity: config.minCapacity,
      maxCapacity: config.maxCapacity,
      cpuTarget: config.cpuTarget,
    });

    new TerraformOutput(this, "cluster_name", { value: this.service.cluster.name, description: "ECS cluster" });
    new TerraformOutput(this, "service_name", { value: this.service.service.name, description: "ECS service" });
    for (const container of CONTAINER_NAMES) {
      new TerraformOutput(this, `${container}_log_group`, {
        value: this.service.logGroups[container].name,
        description: `CloudWatch log group of the ${container} container`,
      });
    }
  }

  private containerSpec(container: ContainerName, config: EnvironmentConfig): ContainerSpec {
    const repository = new DataAwsEcrRepository(this, `${container}-repository`, {
      name: REPOSITORY_NAMES[container],
      region: config.registryRegion,
    });
    return {
      ...config.containers[container],
      image: `${repository.repositoryUrl}:${this.imageTag.stringValue}`,
      repositoryArn: repository.arn,
    };
  }

  /** The configured subnets, or the default VPC's default subnets (what the running system uses). */
  private network(config: EnvironmentConfig): { vpcId: string; subnetIds: string[] } {
    if (config.subnetIds.length > 0) {
      const first = new DataAwsSubnet(this, "task-subnet", { id: config.subnetIds[0] });
      return { vpcId: first.vpcId, subnetIds: [...config.subnetIds] };
    }
    const vpc = new DataAwsVpc(this, "default-vpc", { default: true });
    const subnets = new DataAwsSubnets(this, "default-subnets", {
      filter: [
        { name: "vpc-id", values: [vpc.id] },
        { name: "default-for-az", values: ["true"] },
      ],
    });
    return { vpcId: vpc.id, subnetIds: subnets.ids };
  }
}
