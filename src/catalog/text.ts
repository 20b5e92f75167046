/** One-line descriptions of catalog entries for human output. Pure. */
import type {InstanceTypeSpec} from '../model/catalog.js'

export function describeSpec(s: InstanceTypeSpec): string {
  const memory = s.memoryMib % 1024 === 0 ? `${s.memoryMib / 1024} GiB` : `${(s.memoryMib / 1024).toFixed(2)} GiB`
  const parts = [
    `${s.vcpus} vCPU`,
    memory,
    s.arch ?? 'architecture unknown',
    s.currentGeneration === false ? 'previous generation' : s.currentGeneration ? 'current generation' : undefined,
    s.burstable ? 'burstable' : undefined,
    s.gpus ? `${s.gpus} GPU` : undefined,
    s.instanceStorage && s.instanceStorage !== 'EBS only' ? `instance storage ${s.instanceStorage}` : 'EBS only',
    s.networkPerformance ? `network ${s.networkPerformance}` : undefined,
    s.baselineBandwidthMbps === undefined ? undefined : `baseline ${s.baselineBandwidthMbps} Mbit/s`,
    s.ebsBandwidthMbps === undefined ? undefined : `EBS ${s.ebsBandwidthBurst ? 'up to ' : ''}${s.ebsBandwidthMbps} Mbit/s`,
    s.processor,
  ]
  return `${parts.filter(Boolean).join(', ')} [${s.specSources.join(', ')}]`
}
