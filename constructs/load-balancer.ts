import { Construct } from "constructs";
import { Op, type ITerraformDependable } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, type LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ConstructPropsError } from "./errors";
import { derivedName } from "./names";

/** TLS 1.3 and 1.2 only, forward-secret ciphers: AWS's recommended policy for new listeners. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** AWS caps load balancer and target group names at 32 characters. */
const MAX_NAME_LENGTH = 32;

export interface LoadBalancerTarget {
  /** Port the container listens on (target type ip: the task's address and this port). */
  readonly port: number;
  /** Path the health check requests; 200-399 counts as healthy. */
  readonly healthCheckPath: string;
  /** Paths routed to this target, e.g. `/api/*`. @default none: the default target (exactly one) */
  readonly pathPatterns?: readonly string[];
}

/** One container registered with a target group (an ECS service's `load_balancer` block). */
export interface TargetRegistration {
  readonly targetGroupArn: string;
  readonly containerName: string;
  readonly containerPort: number;
}

/** A service whose containers a load balancer can front (FargateService is one). */
export interface LoadBalancedService {
  /** Security group of the service's tasks: the targets' ports are opened to it, from the load balancer only. */
  readonly securityGroupId: string;
  /** Registers the containers with their target groups; the service is created after `createdAfter`. */
  registerTargets(targets: readonly TargetRegistration[], createdAfter: readonly ITerraformDependable[]): void;
}

/** A check Terraform makes before it creates or changes the load balancer: its subnets lie in `vpcId`. */
export interface SubnetVpcCheck {
  /** The VPC of the subnets, as read by the caller (e.g. a subnet data source's `vpcId`). */
  readonly subnetVpcId: string;
  /** What Terraform prints when the VPCs differ: say which setting to fix. */
  readonly errorMessage: string;
}

export interface LoadBalancerProps {
  /** Load balancer name; each target group is `<name>-<target>`. At most 32 characters each. */
  readonly name: string;
  readonly vpcId: string;
  /** Public subnets, in two Availability Zones at least. */
  readonly subnetIds: string[];
  /** Targets by container name. */
  readonly targets: Readonly<Record<string, LoadBalancerTarget>>;
  /** ACM certificate: HTTPS on 443, and 80 redirects there. @default none: HTTP on 80 only */
  readonly certificateArn?: string;
  /** TLS policy of the HTTPS listener. @default ELBSecurityPolicy-TLS13-1-2-2021-06 */
  readonly sslPolicy?: string;
  /** Refuse deletion (Terraform cannot destroy the stack until it is turned off). @default true */
  readonly deletionProtection?: boolean;
  /** Seconds a target drains before deregistration (deploys wait for it). @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** Fail the plan when the subnets are not in `vpcId` (Terraform precondition). @default no check */
  readonly subnetVpcCheck?: SubnetVpcCheck;
  /**
   * An internal load balancer (private addresses only, reachable inside the VPC): behind the
   * proxy entry, which ends TLS, so HTTP only (no `certificateArn`). Changing it replaces the load
   * balancer. @default false (internet-facing)
   */
  readonly internal?: boolean;
  /**
   * Accept traffic only from this security group (a group reference, which matches the private
   * addresses of its members: hence `internal`), never from 0.0.0.0/0. @default the internet
   */
  readonly ingressFromSecurityGroupId?: string;
}

/**
 * An Application Load Balancer, internet-facing unless `internal`: path rules pick a target group
 * per container, everything else goes to the default target. Its security group accepts 80 (and
 * 443) from anywhere, or from `ingressFromSecurityGroupId` only, and reaches nothing until
 * `attach` opens the targets' ports to a service.
 */
export class LoadBalancer extends Construct {
  /** DNS name AWS gives the load balancer (the site's DNS record points at it). */
  public readonly dnsName: string;
  /** Route 53 hosted zone of the load balancer's DNS name (an alias record's target zone). */
  public readonly zoneId: string;
  /** `app/<name>/<id>`: the `LoadBalancer` dimension of its CloudWatch metrics. */
  public readonly arnSuffix: string;
  /** `https://<dns name>` with a certificate, else `http://<dns name>`. */
  public readonly url: string;
  /** Security group of the load balancer itself. */
  public readonly securityGroupId: string;
  /** `targetgroup/<name>/<id>` of each target: the `TargetGroup` dimension of its CloudWatch metrics. */
  public readonly targetGroupArnSuffixes: Readonly<Record<string, string>>;
  private readonly loadBalancer: Lb;
  private readonly securityGroup: SecurityGroup;
  private readonly targetGroups: Readonly<Record<string, LbTargetGroup>>;
  /** Listeners and rules: a service registering targets must be created after them. */
  private readonly routing: ITerraformDependable[] = [];
  private readonly targets: Readonly<Record<string, LoadBalancerTarget>>;
  private attached = false;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    validate(props);
    this.targets = props.targets;
    const secure = props.certificateArn !== undefined;
    const source = props.ingressFromSecurityGroupId;
    this.securityGroup = new SecurityGroup(this, "security-group", {
      // A prefix, not a name: a replacement group must coexist with the old one, which the load
      // balancer keeps using until it is switched over (create before destroy).
      namePrefix: derivedName.securityGroupPrefix(props.name, "alb"),
      description:
        source === undefined
          ? `Load balancer of ${props.name}: HTTP(S) from the internet, to the task ports only`
          : `Load balancer of ${props.name}: HTTP(S) from its entry only, to the task ports only`,
      vpcId: props.vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    for (const port of secure ? [80, 443] : [80]) {
      const from = source === undefined ? "the internet" : "the entry only";
      new VpcSecurityGroupIngressRule(this, `ingress-${port}`, {
        securityGroupId: this.securityGroup.id,
        description: port === 443 ? `HTTPS from ${from}` : secure ? `HTTP from ${from} (redirected to HTTPS)` : `HTTP from ${from}`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        ...(source === undefined ? { cidrIpv4: "0.0.0.0/0" } : { referencedSecurityGroupId: source }),
      });
    }

    this.loadBalancer = new Lb(this, "load-balancer", {
      name: props.name,
      internal: props.internal ?? false,
      loadBalancerType: "application",
      securityGroups: [this.securityGroup.id],
      subnets: props.subnetIds,
      // Requests with malformed headers are dropped, not passed to the application (request smuggling).
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? true,
      lifecycle: props.subnetVpcCheck
        ? { precondition: [{ condition: Op.eq(props.subnetVpcCheck.subnetVpcId, props.vpcId), errorMessage: props.subnetVpcCheck.errorMessage }] }
        : undefined,
    });
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;
    this.arnSuffix = this.loadBalancer.arnSuffix;
    this.url = `${secure ? "https" : "http"}://${this.dnsName}`;
    this.securityGroupId = this.securityGroup.id;

    this.targetGroups = Object.fromEntries(
      Object.entries(props.targets).map(([target, spec]) => [target, this.targetGroup(props, target, spec)]),
    );
    this.targetGroupArnSuffixes = Object.fromEntries(Object.entries(this.targetGroups).map(([target, group]) => [target, group.arnSuffix]));
    this.addListeners(props);
  }

  /**
   * Puts `service` behind this load balancer: each container registers with its target group,
   * the service is created after the listeners and rules, and each target's port opens from this
   * load balancer to the tasks only. The order matters: CreateService refuses a target group that
   * no listener uses yet ("InvalidParameterException: The target group ... does not have an
   * associated load balancer"; aws-cdk's listeners add the same dependency, aws/aws-cdk#1139).
   */
  attach(service: LoadBalancedService): void {
    if (this.attached) throw new ConstructPropsError(`Invalid attach to load balancer ${this.node.path}: it already fronts a service`);
    this.attached = true;
    service.registerTargets(this.registrations(), this.routing);
    this.admit(service.securityGroupId);
  }

  /** Opens each target's port from this load balancer to `securityGroupId`, and only from it. */
  private admit(securityGroupId: string): void {
    for (const [target, spec] of Object.entries(this.targets)) {
      new VpcSecurityGroupEgressRule(this, `egress-${target}`, {
        securityGroupId: this.securityGroup.id,
        description: `To the ${target} containers on their port`,
        ipProtocol: "tcp",
        fromPort: spec.port,
        toPort: spec.port,
        referencedSecurityGroupId: securityGroupId,
      });
      new VpcSecurityGroupIngressRule(this, `tasks-ingress-${target}`, {
        securityGroupId,
        description: `${target} container port, from the load balancer only`,
        ipProtocol: "tcp",
        fromPort: spec.port,
        toPort: spec.port,
        referencedSecurityGroupId: this.securityGroup.id,
      });
    }
  }

  /** Each container registered with its target group. */
  private registrations(): TargetRegistration[] {
    return Object.entries(this.targets).map(([target, spec]) => ({
      targetGroupArn: this.targetGroups[target].arn,
      containerName: target,
      containerPort: spec.port,
    }));
  }

  private targetGroup(props: LoadBalancerProps, target: string, spec: LoadBalancerTarget): LbTargetGroup {
    return new LbTargetGroup(this, `${target}-target-group`, {
      name: derivedName.targetGroup(props.name, target),
      targetType: "ip",
      protocol: "HTTP",
      port: spec.port,
      vpcId: props.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
      // A new task is healthy after 2 checks (~30 s); a broken one is out after 3 (~45 s).
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: spec.healthCheckPath,
        matcher: "200-399",
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
  }

  private addListeners(props: LoadBalancerProps): void {
    const [defaultTarget] = Object.keys(props.targets).filter((target) => !props.targets[target].pathPatterns?.length);
    const forwardTo = (target: string): LbListenerDefaultAction => ({ type: "forward", targetGroupArn: this.targetGroups[target].arn });
    const http = new LbListener(this, "http", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [
        props.certificateArn === undefined
          ? forwardTo(defaultTarget)
          : { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ],
    });
    let serving = http;
    if (props.certificateArn !== undefined) {
      serving = new LbListener(this, "https", {
        loadBalancerArn: this.loadBalancer.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: props.sslPolicy ?? DEFAULT_SSL_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: [forwardTo(defaultTarget)],
      });
    }
    this.routing.push(...new Set([http, serving]));
    const routed = Object.keys(props.targets).filter((target) => props.targets[target].pathPatterns?.length).sort();
    routed.forEach((target, index) => {
      const rule = new LbListenerRule(this, `${target}-rule`, {
        listenerArn: serving.arn,
        priority: (index + 1) * 10,
        action: [forwardTo(target)],
        condition: [{ pathPattern: { values: [...props.targets[target].pathPatterns!] } }],
      });
      this.routing.push(rule);
    });
  }
}

function validate(props: LoadBalancerProps): void {
  const names = [props.name, ...Object.keys(props.targets).map((target) => derivedName.targetGroup(props.name, target))];
  const tooLong = names.find((name) => name.length > MAX_NAME_LENGTH);
  if (tooLong) throw new ConstructPropsError(`Invalid load balancer name "${tooLong}": AWS allows at most ${MAX_NAME_LENGTH} characters`);
  if (props.internal && props.certificateArn !== undefined) {
    throw new ConstructPropsError(`Invalid load balancer ${props.name}: an internal load balancer speaks HTTP only (TLS ends at the entry in front of it), remove certificateArn`);
  }
  const defaults = Object.keys(props.targets).filter((target) => !props.targets[target].pathPatterns?.length);
  if (defaults.length !== 1) {
    throw new ConstructPropsError(`Invalid targets of ${props.name}: exactly one must have no path patterns (the default), found ${defaults.length}`);
  }
}
