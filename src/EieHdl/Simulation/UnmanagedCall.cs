using System.Reflection.Emit;
using System.Runtime.InteropServices;

namespace EieHdl.Simulation;

/// <summary>
/// Binds a native function address to a managed delegate whose body is a single
/// <c>calli unmanaged cdecl</c>: the IL that C# emits for a <c>delegate* unmanaged[Cdecl]</c> call,
/// without needing unsafe code in this assembly. Arguments must be blittable primitives
/// (int, long, ulong, nint, ...); a <c>ref</c> parameter is pinned for the call and passed as a
/// pointer. About ten times cheaper per call than <see cref="Marshal.GetDelegateForFunctionPointer{T}"/>,
/// whose marshalling stub dominated a small model's cycle.
/// </summary>
internal static class UnmanagedCall
{
    public static T Bind<T>(nint address) where T : Delegate
    {
        if (address == 0) throw new ArgumentException("null function address", nameof(address));
        var invoke = typeof(T).GetMethod("Invoke") ?? throw new InvalidOperationException($"{typeof(T)} has no Invoke");
        var parameters = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        var method = new DynamicMethod($"calli_{typeof(T).Name}", invoke.ReturnType, parameters,
            typeof(UnmanagedCall).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var native = new Type[parameters.Length];
        for (short i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg, i);
            if (parameters[i].IsByRef)
            {
                // What C# 'fixed' emits: a pinned byref local, then its address as a native int.
                var pinned = il.DeclareLocal(parameters[i], pinned: true);
                il.Emit(OpCodes.Stloc, pinned);
                il.Emit(OpCodes.Ldloc, pinned);
                il.Emit(OpCodes.Conv_U);
                native[i] = typeof(nint);
            }
            else
            {
                if (!parameters[i].IsPrimitive) throw new ArgumentException($"{typeof(T)}: parameter {i} is not a primitive");
                native[i] = parameters[i];
            }
        }
        il.Emit(OpCodes.Ldc_I8, (long)address);
        il.Emit(OpCodes.Conv_I);
        il.EmitCalli(OpCodes.Calli, CallingConvention.Cdecl, invoke.ReturnType, native);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<T>();
    }
}
