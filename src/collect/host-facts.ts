/** Host facts shared by the agent and agentless discovery. Pure. */

/** File system types that hold no data worth sizing (kernel, memory and image mounts). */
export const PSEUDO_FS =
  /^(tmpfs|devtmpfs|squashfs|proc|sysfs|cgroup2?|ramfs|nsfs|iso9660|udf|autofs|debugfs|tracefs|securityfs|pstore|efivarfs|bpf|fusectl|configfs|mqueue|hugetlbfs|binfmt_misc|rpc_pipefs|overlay)$/i

/** Hypervisor from SMBIOS vendor and model strings (and a detector's verdict, e.g. systemd-detect-virt). */
export function hypervisorOf(manufacturer?: string, model?: string, virtualHost?: string): string | undefined {
  const s = `${virtualHost ?? ''} ${manufacturer ?? ''} ${model ?? ''}`.toLowerCase()
  if (/vmware/.test(s)) return 'VMware'
  if (/hyper-v|microsoft corporation virtual|virtual machine/.test(s) && /microsoft/.test(s)) return 'Hyper-V'
  if (/amazon ec2|\bec2\b/.test(s)) return 'Amazon EC2'
  if (/google compute/.test(s)) return 'Google Compute Engine'
  if (/xen/.test(s)) return 'Xen'
  if (/virtualbox|innotek/.test(s)) return 'VirtualBox'
  if (/qemu|kvm|openstack|red hat|rhev|ovirt|proxmox/.test(s)) return 'KVM'
  if (/parallels/.test(s)) return 'Parallels'
  if (/nutanix|ahv/.test(s)) return 'Nutanix AHV'
  if (/docker|container|lxc/.test(s)) return 'container'
  return virtualHost ? virtualHost : undefined
}
