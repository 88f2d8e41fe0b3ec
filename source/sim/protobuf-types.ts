// Field tables of the built-in kinds whose protobuf bodies the sim reads (what `kubectl create` and
// `kubectl auth can-i` send), with the field numbers of k8s.io/api's and apimachinery's generated.proto.
// Fields not listed here (status, managedFields, rarely used pod fields) are skipped when decoding, so
// status writes are not taken in protobuf.
import {decodeMessage, list, map, message, ProtobufError, unwrapKubernetesProtobuf, type MessageType} from './protobuf.js';
import type {KObject} from './object.js';

// --- meta/v1 ---------------------------------------------------------------------------------

const ownerReference = message('OwnerReference', {
	1: ['kind', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'], 5: ['apiVersion', 'string'],
	6: ['controller', 'bool', 'keep'], 7: ['blockOwnerDeletion', 'bool', 'keep'],
});

const objectMeta = message('ObjectMeta', {
	1: ['name', 'string'], 2: ['generateName', 'string'], 3: ['namespace', 'string'], 4: ['selfLink', 'string'],
	5: ['uid', 'string'], 6: ['resourceVersion', 'string'], 7: ['generation', 'int64'],
	8: ['creationTimestamp', 'time'], 9: ['deletionTimestamp', 'time'], 10: ['deletionGracePeriodSeconds', 'int64', 'keep'],
	11: ['labels', map('string')], 12: ['annotations', map('string')],
	13: ['ownerReferences', list(ownerReference)], 14: ['finalizers', list('string')],
});

const labelSelector = message('LabelSelector', {
	1: ['matchLabels', map('string')],
	2: ['matchExpressions', list(message('LabelSelectorRequirement', {1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', list('string')]}))],
});

// --- core/v1: pods ---------------------------------------------------------------------------

const localObjectReference = message('LocalObjectReference', {1: ['name', 'string']});

const objectReference = message('ObjectReference', {
	1: ['kind', 'string'], 2: ['namespace', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'],
	5: ['apiVersion', 'string'], 6: ['resourceVersion', 'string'], 7: ['fieldPath', 'string'],
});

const keySelector = (name: string) =>
	message(name, {1: ['localObjectReference', localObjectReference, 'inline'], 2: ['key', 'string'], 3: ['optional', 'bool', 'keep']});

const envVarSource = message('EnvVarSource', {
	1: ['fieldRef', message('ObjectFieldSelector', {1: ['apiVersion', 'string'], 2: ['fieldPath', 'string']})],
	2: ['resourceFieldRef', message('ResourceFieldSelector', {1: ['containerName', 'string'], 2: ['resource', 'string'], 3: ['divisor', 'quantity']})],
	3: ['configMapKeyRef', keySelector('ConfigMapKeySelector')],
	4: ['secretKeyRef', keySelector('SecretKeySelector')],
});

const envSource = (name: string) => message(name, {1: ['localObjectReference', localObjectReference, 'inline'], 2: ['optional', 'bool', 'keep']});

const httpGetAction = message('HTTPGetAction', {
	1: ['path', 'string'], 2: ['port', 'intOrString'], 3: ['host', 'string'], 4: ['scheme', 'string'],
	5: ['httpHeaders', list(message('HTTPHeader', {1: ['name', 'string'], 2: ['value', 'string']}))],
});
const tcpSocketAction = message('TCPSocketAction', {1: ['port', 'intOrString'], 2: ['host', 'string']});
const execAction = message('ExecAction', {1: ['command', list('string')]});

const probe = message('Probe', {
	1: ['handler', message('ProbeHandler', {
		1: ['exec', execAction], 2: ['httpGet', httpGetAction], 3: ['tcpSocket', tcpSocketAction],
		4: ['grpc', message('GRPCAction', {1: ['port', 'int32'], 2: ['service', 'string']})],
	}), 'inline'],
	2: ['initialDelaySeconds', 'int32'], 3: ['timeoutSeconds', 'int32'], 4: ['periodSeconds', 'int32'],
	5: ['successThreshold', 'int32'], 6: ['failureThreshold', 'int32'], 7: ['terminationGracePeriodSeconds', 'int64', 'keep'],
});

const lifecycleHandler = message('LifecycleHandler', {
	1: ['exec', execAction], 2: ['httpGet', httpGetAction], 3: ['tcpSocket', tcpSocketAction],
	4: ['sleep', message('SleepAction', {1: ['seconds', 'int64', 'keep']})],
});

const securityContext = message('SecurityContext', {
	1: ['capabilities', message('Capabilities', {1: ['add', list('string')], 2: ['drop', list('string')]})],
	2: ['privileged', 'bool', 'keep'], 4: ['runAsUser', 'int64', 'keep'], 5: ['runAsNonRoot', 'bool', 'keep'],
	6: ['readOnlyRootFilesystem', 'bool', 'keep'], 7: ['allowPrivilegeEscalation', 'bool', 'keep'],
	8: ['runAsGroup', 'int64', 'keep'], 9: ['procMount', 'string'],
});

const container = message('Container', {
	1: ['name', 'string'], 2: ['image', 'string'], 3: ['command', list('string')], 4: ['args', list('string')],
	5: ['workingDir', 'string'],
	6: ['ports', list(message('ContainerPort', {
		1: ['name', 'string'], 2: ['hostPort', 'int32'], 3: ['containerPort', 'int32'], 4: ['protocol', 'string'], 5: ['hostIP', 'string'],
	}))],
	7: ['env', list(message('EnvVar', {1: ['name', 'string'], 2: ['value', 'string'], 3: ['valueFrom', envVarSource]}))],
	8: ['resources', message('ResourceRequirements', {
		1: ['limits', map('quantity')], 2: ['requests', map('quantity')],
		3: ['claims', list(message('ResourceClaim', {1: ['name', 'string'], 2: ['request', 'string']}))],
	})],
	9: ['volumeMounts', list(message('VolumeMount', {
		1: ['name', 'string'], 2: ['readOnly', 'bool'], 3: ['mountPath', 'string'], 4: ['subPath', 'string'],
		5: ['mountPropagation', 'string'], 6: ['subPathExpr', 'string'], 7: ['recursiveReadOnly', 'string'],
	}))],
	10: ['livenessProbe', probe], 11: ['readinessProbe', probe],
	12: ['lifecycle', message('Lifecycle', {1: ['postStart', lifecycleHandler], 2: ['preStop', lifecycleHandler], 3: ['stopSignal', 'string']})],
	13: ['terminationMessagePath', 'string'], 14: ['imagePullPolicy', 'string'], 15: ['securityContext', securityContext],
	16: ['stdin', 'bool'], 17: ['stdinOnce', 'bool'], 18: ['tty', 'bool'],
	19: ['envFrom', list(message('EnvFromSource', {1: ['prefix', 'string'], 2: ['configMapRef', envSource('ConfigMapEnvSource')], 3: ['secretRef', envSource('SecretEnvSource')]}))],
	20: ['terminationMessagePolicy', 'string'], 22: ['startupProbe', probe], 24: ['restartPolicy', 'string'],
});

const keyToPath = message('KeyToPath', {1: ['key', 'string'], 2: ['path', 'string'], 3: ['mode', 'int32', 'keep']});

const volume = message('Volume', {
	1: ['name', 'string'],
	2: ['volumeSource', message('VolumeSource', {
		1: ['hostPath', message('HostPathVolumeSource', {1: ['path', 'string'], 2: ['type', 'string']})],
		2: ['emptyDir', message('EmptyDirVolumeSource', {1: ['medium', 'string'], 2: ['sizeLimit', 'quantity']})],
		6: ['secret', message('SecretVolumeSource', {1: ['secretName', 'string'], 2: ['items', list(keyToPath)], 3: ['defaultMode', 'int32', 'keep'], 4: ['optional', 'bool', 'keep']})],
		10: ['persistentVolumeClaim', message('PersistentVolumeClaimVolumeSource', {1: ['claimName', 'string'], 2: ['readOnly', 'bool']})],
		19: ['configMap', message('ConfigMapVolumeSource', {
			1: ['localObjectReference', localObjectReference, 'inline'], 2: ['items', list(keyToPath)], 3: ['defaultMode', 'int32', 'keep'], 4: ['optional', 'bool', 'keep'],
		})],
	}), 'inline'],
});

const podSpec = message('PodSpec', {
	1: ['volumes', list(volume)], 2: ['containers', list(container)], 3: ['restartPolicy', 'string'],
	4: ['terminationGracePeriodSeconds', 'int64', 'keep'], 5: ['activeDeadlineSeconds', 'int64', 'keep'], 6: ['dnsPolicy', 'string'],
	7: ['nodeSelector', map('string')], 8: ['serviceAccountName', 'string'], 9: ['serviceAccount', 'string'], 10: ['nodeName', 'string'],
	11: ['hostNetwork', 'bool'], 12: ['hostPID', 'bool'], 13: ['hostIPC', 'bool'],
	14: ['securityContext', message('PodSecurityContext', {
		2: ['runAsUser', 'int64', 'keep'], 3: ['runAsNonRoot', 'bool', 'keep'], 4: ['supplementalGroups', list('int64')],
		5: ['fsGroup', 'int64', 'keep'], 6: ['runAsGroup', 'int64', 'keep'], 9: ['fsGroupChangePolicy', 'string'],
	})],
	15: ['imagePullSecrets', list(localObjectReference)], 16: ['hostname', 'string'], 17: ['subdomain', 'string'],
	19: ['schedulerName', 'string'], 20: ['initContainers', list(container)], 21: ['automountServiceAccountToken', 'bool', 'keep'],
	22: ['tolerations', list(message('Toleration', {
		1: ['key', 'string'], 2: ['operator', 'string'], 3: ['value', 'string'], 4: ['effect', 'string'], 5: ['tolerationSeconds', 'int64', 'keep'],
	}))],
	24: ['priorityClassName', 'string'], 25: ['priority', 'int32', 'keep'], 27: ['shareProcessNamespace', 'bool', 'keep'],
	29: ['runtimeClassName', 'string'], 30: ['enableServiceLinks', 'bool', 'keep'], 31: ['preemptionPolicy', 'string'],
});

const podTemplateSpec = message('PodTemplateSpec', {1: ['metadata', objectMeta], 2: ['spec', podSpec]});

// --- core/v1: the rest -----------------------------------------------------------------------

const servicePort = message('ServicePort', {
	1: ['name', 'string'], 2: ['protocol', 'string'], 3: ['port', 'int32'], 4: ['targetPort', 'intOrString'],
	5: ['nodePort', 'int32'], 6: ['appProtocol', 'string'],
});

const serviceSpec = message('ServiceSpec', {
	1: ['ports', list(servicePort)], 2: ['selector', map('string')], 3: ['clusterIP', 'string'], 4: ['type', 'string'],
	5: ['externalIPs', list('string')], 7: ['sessionAffinity', 'string'], 8: ['loadBalancerIP', 'string'],
	9: ['loadBalancerSourceRanges', list('string')], 10: ['externalName', 'string'], 11: ['externalTrafficPolicy', 'string'],
	12: ['healthCheckNodePort', 'int32'], 13: ['publishNotReadyAddresses', 'bool'],
	14: ['sessionAffinityConfig', message('SessionAffinityConfig', {1: ['clientIP', message('ClientIPConfig', {1: ['timeoutSeconds', 'int32', 'keep']})]})],
	17: ['ipFamilyPolicy', 'string'], 18: ['clusterIPs', list('string')], 19: ['ipFamilies', list('string')],
	20: ['allocateLoadBalancerNodePorts', 'bool', 'keep'], 21: ['loadBalancerClass', 'string'], 22: ['internalTrafficPolicy', 'string'],
	23: ['trafficDistribution', 'string'],
});

// --- apps/v1, batch/v1, networking.k8s.io/v1, authorization.k8s.io/v1 --------------------------

const deploymentSpec = message('DeploymentSpec', {
	1: ['replicas', 'int32', 'keep'], 2: ['selector', labelSelector], 3: ['template', podTemplateSpec],
	4: ['strategy', message('DeploymentStrategy', {
		1: ['type', 'string'],
		2: ['rollingUpdate', message('RollingUpdateDeployment', {1: ['maxUnavailable', 'intOrString', 'keep'], 2: ['maxSurge', 'intOrString', 'keep']})],
	})],
	5: ['minReadySeconds', 'int32'], 6: ['revisionHistoryLimit', 'int32', 'keep'], 7: ['paused', 'bool'], 9: ['progressDeadlineSeconds', 'int32', 'keep'],
});

const replicaSetSpec = message('ReplicaSetSpec', {1: ['replicas', 'int32', 'keep'], 2: ['selector', labelSelector], 3: ['template', podTemplateSpec], 4: ['minReadySeconds', 'int32']});

const jobSpec = message('JobSpec', {
	1: ['parallelism', 'int32', 'keep'], 2: ['completions', 'int32', 'keep'], 3: ['activeDeadlineSeconds', 'int64', 'keep'],
	4: ['selector', labelSelector], 5: ['manualSelector', 'bool', 'keep'], 6: ['template', podTemplateSpec],
	7: ['backoffLimit', 'int32', 'keep'], 8: ['ttlSecondsAfterFinished', 'int32', 'keep'], 9: ['completionMode', 'string'],
	10: ['suspend', 'bool', 'keep'], 12: ['backoffLimitPerIndex', 'int32', 'keep'], 13: ['maxFailedIndexes', 'int32', 'keep'],
	14: ['podReplacementPolicy', 'string'], 15: ['managedBy', 'string'],
});

const cronJobSpec = message('CronJobSpec', {
	1: ['schedule', 'string'], 2: ['startingDeadlineSeconds', 'int64', 'keep'], 3: ['concurrencyPolicy', 'string'], 4: ['suspend', 'bool', 'keep'],
	5: ['jobTemplate', message('JobTemplateSpec', {1: ['metadata', objectMeta], 2: ['spec', jobSpec]})],
	6: ['successfulJobsHistoryLimit', 'int32', 'keep'], 7: ['failedJobsHistoryLimit', 'int32', 'keep'], 8: ['timeZone', 'string'],
});

const ingressBackend = message('IngressBackend', {
	3: ['resource', message('TypedLocalObjectReference', {1: ['apiGroup', 'string'], 2: ['kind', 'string'], 3: ['name', 'string']})],
	4: ['service', message('IngressServiceBackend', {1: ['name', 'string'], 2: ['port', message('ServiceBackendPort', {1: ['name', 'string'], 2: ['number', 'int32']})]})],
});

const ingressSpec = message('IngressSpec', {
	1: ['defaultBackend', ingressBackend],
	2: ['tls', list(message('IngressTLS', {1: ['hosts', list('string')], 2: ['secretName', 'string']}))],
	3: ['rules', list(message('IngressRule', {
		1: ['host', 'string'],
		2: ['ingressRuleValue', message('IngressRuleValue', {
			1: ['http', message('HTTPIngressRuleValue', {
				1: ['paths', list(message('HTTPIngressPath', {1: ['path', 'string'], 2: ['backend', ingressBackend], 3: ['pathType', 'string']}))],
			})],
		}), 'inline'],
	}))],
	4: ['ingressClassName', 'string'],
});

const selfSubjectAccessReviewSpec = message('SelfSubjectAccessReviewSpec', {
	1: ['resourceAttributes', message('ResourceAttributes', {
		1: ['namespace', 'string'], 2: ['verb', 'string'], 3: ['group', 'string'], 4: ['version', 'string'],
		5: ['resource', 'string'], 6: ['subresource', 'string'], 7: ['name', 'string'],
	})],
	2: ['nonResourceAttributes', message('NonResourceAttributes', {1: ['path', 'string'], 2: ['verb', 'string']})],
});

/** A top-level kind: metadata is field 1 everywhere; the rest is the kind's own (status is not read). */
const withSpec = (kind: string, spec: MessageType) => message(kind, {1: ['metadata', objectMeta], 2: ['spec', spec]});

/** The kinds whose protobuf bodies are read, by `apiVersion kind`. */
const kinds: ReadonlyMap<string, MessageType> = new Map([
	['v1 Namespace', withSpec('Namespace', message('NamespaceSpec', {1: ['finalizers', list('string')]}))],
	['v1 ConfigMap', message('ConfigMap', {1: ['metadata', objectMeta], 2: ['data', map('string')], 3: ['binaryData', map('bytes')], 4: ['immutable', 'bool', 'keep']})],
	['v1 Secret', message('Secret', {1: ['metadata', objectMeta], 2: ['data', map('bytes')], 3: ['type', 'string'], 4: ['stringData', map('string')], 5: ['immutable', 'bool', 'keep']})],
	['v1 ServiceAccount', message('ServiceAccount', {
		1: ['metadata', objectMeta], 2: ['secrets', list(objectReference)], 3: ['imagePullSecrets', list(localObjectReference)], 4: ['automountServiceAccountToken', 'bool', 'keep'],
	})],
	['v1 Service', withSpec('Service', serviceSpec)],
	['v1 Pod', withSpec('Pod', podSpec)],
	['apps/v1 Deployment', withSpec('Deployment', deploymentSpec)],
	['apps/v1 ReplicaSet', withSpec('ReplicaSet', replicaSetSpec)],
	['batch/v1 Job', withSpec('Job', jobSpec)],
	['batch/v1 CronJob', withSpec('CronJob', cronJobSpec)],
	['networking.k8s.io/v1 Ingress', withSpec('Ingress', ingressSpec)],
	['authorization.k8s.io/v1 SelfSubjectAccessReview', withSpec('SelfSubjectAccessReview', selfSubjectAccessReviewSpec)],
	// client-go's UpdateScale; replicas is a plain int32 there, but 0 is what the server reads, so it is kept.
	['autoscaling/v1 Scale', withSpec('Scale', message('ScaleSpec', {1: ['replicas', 'int32', 'keep']}))],
]);

/** Whether bodies of this apiVersion and kind can be read from protobuf. */
export const readsProtobuf = (apiVersion: string, kind: string) => kinds.has(`${apiVersion} ${kind}`);

/**
 * A Kubernetes protobuf body as the JSON object it stands for, `apiVersion` and `kind` included.
 * Throws ProtobufError for a malformed body or a kind the sim does not read.
 */
export function decodeKubernetesObject(body: Uint8Array): KObject {
	const {apiVersion, kind, raw} = unwrapKubernetesProtobuf(body);
	const type = kinds.get(`${apiVersion} ${kind}`);
	if (!type) throw new ProtobufError(`protobuf bodies of ${apiVersion} ${kind} are not read here`);
	return {apiVersion, kind, ...decodeMessage(raw, type)} as KObject;
}
