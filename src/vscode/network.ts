import * as vscode from 'vscode';
import { NETWORK_SETTING_IDS, NetworkSettings } from '../core/config/network';

/**
 * VS Code's own proxy and certificate settings (`http.*`), read for the core
 * (src/core/config/network.ts). They are VS Code's, not ours: the user (or a
 * machine policy) sets them once for every extension.
 */
export function readNetworkSettings(): NetworkSettings {
  const config = vscode.workspace.getConfiguration();
  const str = (id: string) => {
    const v = config.get<unknown>(id);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const bool = (id: string) => {
    const v = config.get<unknown>(id);
    return typeof v === 'boolean' ? v : undefined;
  };
  const list = config.get<unknown>(NETWORK_SETTING_IDS.noProxy);
  const proxy = str(NETWORK_SETTING_IDS.proxy);
  const proxyStrictSSL = bool(NETWORK_SETTING_IDS.proxyStrictSSL);
  const proxyAuthorization = str(NETWORK_SETTING_IDS.proxyAuthorization);
  const systemCertificates = bool(NETWORK_SETTING_IDS.systemCertificates);
  const proxySupport = str(NETWORK_SETTING_IDS.proxySupport);
  return {
    ...(proxy ? { proxy } : {}),
    ...(proxyStrictSSL !== undefined ? { proxyStrictSSL } : {}),
    ...(Array.isArray(list) ? { noProxy: list.filter((s): s is string => typeof s === 'string') } : {}),
    ...(proxyAuthorization ? { proxyAuthorization } : {}),
    ...(systemCertificates !== undefined ? { systemCertificates } : {}),
    ...(proxySupport ? { proxySupport } : {}),
  };
}

export function affectsNetwork(e: vscode.ConfigurationChangeEvent): boolean {
  return Object.values(NETWORK_SETTING_IDS).some((id) => e.affectsConfiguration(id));
}
