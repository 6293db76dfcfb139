import { View } from '@tarojs/components';

/** Why a submit failed or what is missing, beside the form; the form keeps what the user typed. */
export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <View className="form-error" role="alert">
      {message}
    </View>
  );
}
