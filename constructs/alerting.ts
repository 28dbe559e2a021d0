import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { policyDocument } from "./iam-policy";
import { derivedName } from "./names";

export interface AlertingProps {
  /** Prefix of every name, e.g. `city-guided-staging`; the topic is `<name>-alerts`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** Subscribed by e-mail (AWS sends a confirmation first). @default none */
  readonly email?: string;
  /** `arn_suffix` of the load balancer. */
  readonly loadBalancerArnSuffix: string;
  /** `arn_suffix` of each target group, by container name. */
  readonly targetGroupArnSuffixes: Readonly<Record<string, string>>;
  /** ARN of the ECS service whose failed (rolled back) deployments are reported. */
  readonly serviceArn: string;
  /** 5xx answers from a container per minute that count as a bad minute. @default 1 */
  readonly serverErrorsPerMinute?: number;
  /** Consecutive bad minutes (5xx or unhealthy targets) before the alarm fires. @default 5 */
  readonly sustainedMinutes?: number;
}

/**
 * The environment's alerts: an SNS topic (optionally e-mailed) fed by alarms on sustained 5xx
 * and unhealthy targets per container, and by the ECS event of a deployment that the circuit
 * breaker rolled back. The topic is encrypted with its own KMS key: CloudWatch and EventBridge
 * cannot publish to a topic encrypted with the AWS managed key alias/aws/sns, whose policy
 * cannot grant them the key.
 */
export class Alerting extends Construct {
  /** The alerts topic (subscribe more endpoints to it). */
  public readonly topicArn: string;
  private readonly topic: SnsTopic;
  private readonly key: KmsKey;
  private readonly alarms: CloudwatchMetricAlarm[] = [];
  private readonly deploymentFailedRule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    this.key = new KmsKey(this, "key", {
      description: `Encrypts the ${props.name} alerts topic`,
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: keyPolicy(props),
    });
    new KmsAlias(this, "key-alias", { name: derivedName.keyAlias(derivedName.alerting(props.name, "alerts")), targetKeyId: this.key.keyId });
    this.topic = new SnsTopic(this, "topic", { name: derivedName.alerting(props.name, "alerts"), kmsMasterKeyId: this.key.arn });
    this.topicArn = this.topic.arn;
    if (props.email !== undefined) {
      new SnsTopicSubscription(this, "email", { topicArn: this.topic.arn, protocol: "email", endpoint: props.email });
    }

    this.deploymentFailedRule = new CloudwatchEventRule(this, "deployment-failed", {
      name: derivedName.alerting(props.name, "deployment-failed"),
      description: `A deployment of ${props.name} failed and the circuit breaker rolled it back`,
      eventPattern: JSON.stringify({
        source: ["aws.ecs"],
        "detail-type": ["ECS Deployment State Change"],
        resources: [props.serviceArn],
        detail: { eventName: ["SERVICE_DEPLOYMENT_FAILED"] },
      }),
    });
    new CloudwatchEventTarget(this, "deployment-failed-target", {
      rule: this.deploymentFailedRule.name,
      arn: this.topic.arn,
      inputTransformer: {
        inputPaths: { deployment: "$.detail.deploymentId", reason: "$.detail.reason", time: "$.time" },
        inputTemplate: `"${props.name}: deployment <deployment> failed and was rolled back at <time>: <reason>"`,
      },
    });
    new SnsTopicPolicy(this, "topic-policy", { arn: this.topic.arn, policy: this.topicPolicy(props) });

    for (const [target, arnSuffix] of Object.entries(props.targetGroupArnSuffixes)) this.addTargetAlarms(props, target, arnSuffix);
  }

  /** Only this environment's alarms and its deployment rule may publish. */
  private topicPolicy(props: AlertingProps): string {
    return policyDocument([
      {
        Sid: "DeploymentFailedRule",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["sns:Publish"],
        Resource: this.topic.arn,
        Condition: { ArnEquals: { "aws:SourceArn": this.deploymentFailedRule.arn } },
      },
      {
        Sid: "EnvironmentAlarms",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["sns:Publish"],
        Resource: this.topic.arn,
        Condition: {
          ArnLike: { "aws:SourceArn": `arn:${props.partition}:cloudwatch:${props.region}:${props.accountId}:alarm:${derivedName.alerting(props.name, "*")}` },
          StringEquals: { "aws:SourceAccount": props.accountId },
        },
      },
    ]);
  }

  private addTargetAlarms(props: AlertingProps, target: string, targetGroupArnSuffix: string): void {
    const minutes = props.sustainedMinutes ?? 5;
    const dimensions = { LoadBalancer: props.loadBalancerArnSuffix, TargetGroup: targetGroupArnSuffix };
    const common = {
      namespace: "AWS/ApplicationELB",
      period: 60,
      evaluationPeriods: minutes,
      datapointsToAlarm: minutes,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      dimensions,
      // No requests (or no targets, e.g. asleep at zero) publish nothing: that is not a failure.
      treatMissingData: "notBreaching",
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
    };
    this.alarms.push(
      new CloudwatchMetricAlarm(this, `${target}-5xx`, {
        ...common,
        alarmName: derivedName.alerting(props.name, `${target}-5xx`),
        alarmDescription: `The ${target} containers answered 5xx every minute for ${minutes} minutes`,
        metricName: "HTTPCode_Target_5XX_Count",
        statistic: "Sum",
        threshold: props.serverErrorsPerMinute ?? 1,
      }),
      new CloudwatchMetricAlarm(this, `${target}-unhealthy`, {
        ...common,
        alarmName: derivedName.alerting(props.name, `${target}-unhealthy`),
        alarmDescription: `A running ${target} task failed its load balancer health check for ${minutes} minutes`,
        metricName: "UnHealthyHostCount",
        statistic: "Maximum",
        threshold: 1,
      }),
    );
  }
}

function keyPolicy(props: AlertingProps): string {
  const publish = ["kms:Decrypt", "kms:GenerateDataKey*"];
  return policyDocument([
    // The account administers the key (so it can never become unmanageable) and may publish test
    // messages; IAM policies decide who in the account may. Listed, not kms:*, so the policy aspect
    // holds for key policies too.
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
      Action: [
        "kms:CancelKeyDeletion",
        "kms:Create*",
        "kms:Decrypt",
        "kms:Delete*",
        "kms:Describe*",
        "kms:Disable*",
        "kms:Enable*",
        "kms:GenerateDataKey*",
        "kms:Get*",
        "kms:List*",
        "kms:Put*",
        "kms:Revoke*",
        "kms:RotateKeyOnDemand",
        "kms:ScheduleKeyDeletion",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:Update*",
      ],
      Resource: "*",
    },
    {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: publish,
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
    },
    // AWS documents that EventBridge's delivery to an encrypted topic carries no aws:Source*
    // keys: a condition here would drop every event silently. The topic policy scopes the rule.
    { Sid: "EventBridgePublishes", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: publish, Resource: "*" },
  ]);
}
