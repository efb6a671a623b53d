using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.DicomNode.Configuration;

namespace MiniGptMed.DicomNode.Reception;

/// <summary>
/// The access rules in force, read from configuration for every association. An edited file that no longer
/// validates is logged (once per distinct error) and the last good rules stay in force, so a typo in a running
/// node's configuration never opens it up nor shuts it down.
/// </summary>
internal sealed class AccessRulesProvider
{
    private readonly IOptionsMonitor<ReceptionOptions> _monitor;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private ReceptionOptions _options;
    private AccessRules _rules;
    private string? _lastError;

    public AccessRulesProvider(IOptionsMonitor<ReceptionOptions> monitor, ILogger<AccessRulesProvider> logger)
    {
        _monitor = monitor;
        _logger = logger;
        _options = monitor.CurrentValue;
        _rules = _options.ToAccessRules();
    }

    public AccessRules Current()
    {
        lock (_gate)
        {
            try
            {
                var options = _monitor.CurrentValue;
                if (!ReferenceEquals(options, _options))
                {
                    _rules = options.ToAccessRules();
                    _options = options;
                    NodeLog.AccessRulesReloaded(_logger, _rules.ListeningAes.Count, _rules.Sources.Count);
                }

                _lastError = null;
            }
            catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
            {
                // OptionsValidationException: a value out of range; InvalidOperationException: the binder could not
                // convert one (its message names the key).
                if (ex.Message != _lastError)
                {
                    _lastError = ex.Message;
                    NodeLog.AccessRulesInvalid(_logger, ex.Message);
                }
            }

            return _rules;
        }
    }
}
